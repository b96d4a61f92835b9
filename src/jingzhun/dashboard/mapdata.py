"""The 一张图 map's figures: per county of 吕梁市, from bounded GROUP BYs.

* 贫困发生率 (as the map shows it): registered-poor households not yet out of poverty (未脱贫、返贫) as
  a share of the county's households in the register — a household-based rate, since the register is
  the denominator we hold (the official rate is per person of the rural population).
* 低保覆盖率: households with an open, active 低保 enrollment in the working month as a share of the
  households in the register.
* 户均项目资金: every fund allocation to the county's projects divided by its registered-poor households.
* Industry points: each county's projects of each industry (from the project's kind and name: 食用菌,
  小杂粮, 中药材, 光伏, 养殖, 核桃 …) drawn around the county's label point. There are no township or
  village coordinates in any maintained package (see vendor/lvliang-map/README.md), so points are per
  county, not at the project's site; the page says so.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Sum

from jingzhun.core.actions import Actor
from jingzhun.dashboard import counts
from jingzhun.dashboard.models import VillageCounts
from jingzhun.policy import regions
from jingzhun.policy.money import fen_to_str
from jingzhun.projects.models import FundAllocation, Project, ProjectKind
from jingzhun.registry.models import HouseholdStatus, Region, RegionLevel

GEOJSON = Path(__file__).resolve().parents[1] / "core" / "static" / "vendor" / "lvliang-map" / "lvliang.geojson"
NOT_OUT = (HouseholdStatus.NOT_EXITED, HouseholdStatus.RETURNED)  # POLICY.md §8: 未脱贫 and 返贫
INDUSTRIES: tuple[tuple[str, str], ...] = (  # (keyword in the project's name, industry) in order of precedence
    ("食用菌", "食用菌"),
    ("小杂粮", "小杂粮"),
    ("中药材", "中药材"),
    ("养殖", "养殖"),
    ("核桃", "核桃经济林"),
)


def industry_of(kind: str, name: str) -> str | None:
    """The industry a project belongs to on the industry map, or None for a non-industry project."""
    if kind == ProjectKind.PV:
        return "光伏"
    if kind != ProjectKind.INDUSTRY:
        return None
    return next((industry for keyword, industry in INDUSTRIES if keyword in name), "其他产业")


@cache
def label_points() -> dict[str, tuple[float, float]]:
    """Each county's label point (``cp``) from the vendored GeoJSON: display coordinates only."""
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    return {f["properties"]["code"]: tuple(f["properties"]["cp"]) for f in data["features"]}


def _ratio(part: int, whole: int, scale: int = 100) -> str:
    return f"{scale * part / whole:.1f}" if whole else ""  # display only


def county_figures(actor: Actor, as_of: dt.date) -> dict[str, Any]:
    """Rows per county in the actor's scope, the choropleth values and the industry points, from the village
    counts (kept by ``counts.refresh``, a background task); 低保 households are those enrolled in ``as_of``'s month."""
    counties = [c for c in regions.COUNTIES if c.startswith(actor.scope) or actor.scope.startswith(c)]
    villages = dict(
        Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=actor.scope).values_list("id", "code")
    )
    total: dict[str, int] = defaultdict(int)
    poor: dict[str, int] = defaultdict(int)
    registered: dict[str, int] = defaultdict(int)
    rows = VillageCounts.objects.filter(village_id__in=list(villages)).values(
        "village_id", "status", "registered", "households"
    )
    for row in rows:
        county = villages[row["village_id"]][:6]
        total[county] += row["households"]
        if row["registered"] and row["status"]:
            registered[county] += row["households"]
            if row["status"] in NOT_OUT:
                poor[county] += row["households"]
    dibao: dict[str, int] = defaultdict(int)
    for village, day in counts.day_counts(list(villages), as_of).items():
        dibao[villages[village][:6]] += day.dibao
    funds: dict[str, int] = defaultdict(int)
    for row in (
        FundAllocation.objects.filter(project__region__code__startswith=actor.scope)
        .values("project__region__code")
        .annotate(fen=Sum("amount_fen"))
        .order_by()
    ):
        funds[row["project__region__code"][:6]] += row["fen"] or 0
    industry: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    project_funds = dict(
        FundAllocation.objects.filter(project__region__code__startswith=actor.scope)
        .values("project_id")
        .annotate(fen=Sum("amount_fen"))
        .values_list("project_id", "fen")
        .order_by()
    )
    for pk, kind, name, code in (
        Project.objects.filter(region__code__startswith=actor.scope, kind__in=(ProjectKind.INDUSTRY, ProjectKind.PV))
        .values_list("id", "kind", "name", "region__code")
        .order_by()
    ):
        ind = industry_of(kind, name)
        if ind is not None:
            cell = industry[(code[:6], ind)]
            cell[0] += 1
            cell[1] += project_funds.get(pk, 0)
    table = []
    for code in counties:
        if not total.get(code) and not funds.get(code):
            continue
        table.append(
            {
                "code": code,
                "name": regions.NAMES[code],
                "households": total[code],
                "poor": poor[code],
                "incidence": _ratio(poor[code], total[code]),
                "dibao": dibao[code],
                "dibao_coverage": _ratio(dibao[code], total[code]),
                "funds": fen_to_str(funds[code]),
                "funds_per_household": fen_to_str(funds[code] // registered[code]) if registered[code] else "",
            }
        )
    points = label_points()
    order = ["光伏", *(i for _, i in INDUSTRIES), "其他产业"]
    names = sorted({ind for _, ind in industry}, key=order.index)
    series = []
    for n, ind in enumerate(names):
        data = []
        for (county, name), (count, fen) in sorted(industry.items()):
            if name != ind or county not in points:
                continue
            lon, lat = points[county]
            # spread the industries of one county around its label point (display only)
            at = [lon + 0.06 * (n % 3 - 1), lat + 0.05 * (n // 3 - 0.5)]
            data.append({"name": regions.NAMES[county], "value": [*at, count, fen_to_str(fen)]})
        series.append({"name": ind, "data": data})
    industries = [
        {"county": regions.NAMES[c], "industry": ind, "projects": v[0], "funds": fen_to_str(v[1])}
        for (c, ind), v in sorted(industry.items())
    ]
    return {"rows": table, "points": series, "industries": industries, "geojson": "vendor/lvliang-map/lvliang.geojson"}
