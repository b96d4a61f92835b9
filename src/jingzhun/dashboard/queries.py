"""一张图's figures: bounded GROUP BY reads, rolled up from villages to the region shown.

Every figure is read once per page with a GROUP BY over the villages in scope (a few hundred groups at
most), then summed in Python to the level the page shows: a county's page shows its townships, a
township's page its villages, a village's page the village alone. No query reads a row per household.

Readings (POLICY.md is silent on a dashboard; these are the ones a county office expects):

* 本月: the dashboard's month — by default the latest month with payment lines in the ledger under the
  region (today's month when there are none). The 12-month trend ends with it.
* 帮扶覆盖: registered-poor households (建档立卡, any of the four statuses, in the register) with a
  帮扶记录 that is not voided dated in the 90 days up to the end of the dashboard's month.
* 低保/特困 amounts: the month's net ledger lines (payments, adjustments and reversals) of the programs
  paid only to that family (``PROGRAM_FAMILIES``); 价格临时补贴, paid to both, is shown in the trend only.
* 致贫原因: a household with several causes counts once under each.
* 户状态: a household's status as the register holds it (POLICY.md §8's four; none = 非建档立卡): the importer
  and the status actions set the status together with 建档立卡年份.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Sum

from jingzhun.dashboard import counts
from jingzhun.dashboard.models import LedgerMonthVillage, VillageCauseCounts, VillageCounts
from jingzhun.dashboard.summary import ALL
from jingzhun.policy.money import fen_to_str
from jingzhun.policy.vocabulary import PROGRAM_FAMILIES, PROGRAM_NAMES
from jingzhun.projects.models import FundAllocation, FundSource, Project, ProjectKind
from jingzhun.registry.columns import POVERTY_CAUSE
from jingzhun.registry.models import HouseholdStatus, Region, RegionLevel

COVERAGE_DAYS = counts.COVERAGE_DAYS
TREND_MONTHS = 12
CAUSE_NAMES = {value: label for label, value in POVERTY_CAUSE.items()}
STATUS_NAMES = {**dict(HouseholdStatus.choices), "": "非建档立卡"}
FAMILY_PROGRAMS = {
    family: [p for p, families in PROGRAM_FAMILIES.items() if families == (family,)] for family in ("dibao", "tekun")
}


@dataclass
class Place:
    """The region a dashboard shows and its parts (the drill-down targets)."""

    region: Region
    children: list[Region]  # townships of a county, villages of a township; empty for a village
    villages: dict[int, str]  # village id → the code of the child it rolls up to (its own code in a village)

    @property
    def level(self) -> str:
        return self.region.level


def place(region: Region) -> Place:
    """Two queries: the region's children and its villages."""
    prefix = _prefix(region)
    child_level = {
        RegionLevel.CITY: RegionLevel.COUNTY,
        RegionLevel.COUNTY: RegionLevel.TOWNSHIP,
        RegionLevel.TOWNSHIP: RegionLevel.VILLAGE,
    }
    level = child_level.get(RegionLevel(region.level)) if region.level in child_level else None
    children = (
        list(Region.objects.filter(level=level, code__startswith=prefix).order_by("code")) if level is not None else []
    )
    villages = Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=prefix).values_list("id", "code")
    if region.level in (RegionLevel.PROVINCE, RegionLevel.CITY):
        roll = {pk: code[:6] for pk, code in villages}
    elif region.level == RegionLevel.COUNTY:
        roll = {pk: code[:9] + "000" for pk, code in villages}
    elif region.level == RegionLevel.TOWNSHIP:
        roll = dict(villages)
    else:
        roll = {pk: region.code for pk, _ in villages}
    return Place(region, children, roll)


def _prefix(region: Region) -> str:
    from jingzhun.core.scope import region_prefix

    return region_prefix(region.code)


def latest_month(region: Region, today: dt.date | None = None) -> dt.date:
    """The latest month with ledger lines under the region (from the summary) up to ``today``'s month, else
    ``today``'s month. The ledger may already hold later months (住院 settlements are booked to the year's end),
    and a dashboard opened in the working month 2020-07 should not default to 2020-12."""
    this_month = (today or dt.date.today()).replace(day=1)
    rows = LedgerMonthVillage.objects.filter(village__code__startswith=_prefix(region), month__lte=this_month)
    month = rows.aggregate(m=Max("month"))["m"]
    return month or this_month


def month_end(month: dt.date) -> dt.date:
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def months_back(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class Figures:
    """Everything one dashboard page shows, as plain numbers (fen for money)."""

    month: dt.date
    # child code → status key → households (status "" = not registered)
    status_by_child: dict[str, dict[str, int]] = field(default_factory=dict)
    causes: dict[str, int] = field(default_factory=dict)
    # child code → family → households enrolled (open, active)
    enrolled_by_child: dict[str, dict[str, int]] = field(default_factory=dict)
    # child code → family → fen paid this month (net)
    paid_by_child: dict[str, dict[str, int]] = field(default_factory=dict)
    # (month, program) → (households, fen)
    trend: dict[tuple[dt.date, str], tuple[int, int]] = field(default_factory=dict)
    # kind → (projects, fen); (kind, source) → fen
    projects_by_kind: dict[str, tuple[int, int]] = field(default_factory=dict)
    funds_by_kind_source: dict[tuple[str, str], int] = field(default_factory=dict)
    # child code → (registered households, visited in the last 90 days)
    coverage_by_child: dict[str, tuple[int, int]] = field(default_factory=dict)


def figures(where: Place, month: dt.date) -> Figures:
    """Small GROUP BYs over the villages in scope, all from the derived tables: the register's counts
    (``counts.VillageCounts``, ``VillageCauseCounts``, ``VillageDayCounts``) and the ledger's monthly
    summary, as ``counts.refresh`` (a background task) last built them. Projects and funds are read from
    their own (small) tables."""
    out = Figures(month=month)
    roll = where.villages
    ids = list(roll)
    prefix = _prefix(where.region)
    end = month_end(month)

    registered_by_village: dict[int, int] = defaultdict(int)
    for row in VillageCounts.objects.filter(village_id__in=ids).values(
        "village_id", "status", "registered", "households"
    ):
        child = out.status_by_child.setdefault(roll[row["village_id"]], defaultdict(int))
        child[row["status"] or ""] += row["households"]
        if row["registered"]:
            registered_by_village[row["village_id"]] += row["households"]

    causes = VillageCauseCounts.objects.filter(village_id__in=ids).values("cause").annotate(n=Sum("households"))
    out.causes = {r["cause"]: int(r["n"] or 0) for r in causes.order_by()}

    days = counts.day_counts(ids, end)
    for village, day in days.items():
        if day.dibao or day.tekun:
            child = out.enrolled_by_child.setdefault(roll[village], defaultdict(int))
            child["dibao"] += day.dibao
            child["tekun"] += day.tekun

    family_of = {p: fam for fam, programs in FAMILY_PROGRAMS.items() for p in programs}
    summary = LedgerMonthVillage.objects.filter(village_id__in=ids)
    paid = (
        summary.filter(month=month, program__in=list(family_of))
        .values("village_id", "program")
        .annotate(fen=Sum("amount_fen"))
        .order_by()
    )
    for row in paid:
        child = out.paid_by_child.setdefault(roll[row["village_id"]], defaultdict(int))
        child[family_of[row["program"]]] += row["fen"] or 0

    trend = (
        summary.filter(month__gte=months_back(month, TREND_MONTHS - 1), month__lte=month)
        .exclude(program=ALL)
        .values("month", "program")
        .annotate(h=Sum("households"), fen=Sum("amount_fen"))
        .order_by("month", "program")
    )
    for row in trend:
        out.trend[(row["month"], row["program"])] = (row["h"] or 0, row["fen"] or 0)

    projects = Project.objects.filter(region__code__startswith=prefix)
    per_kind = {r["kind"]: r["n"] for r in projects.values("kind").annotate(n=Count("id")).order_by()}
    funds = (
        FundAllocation.objects.filter(project__region__code__startswith=prefix)
        .values("project__kind", "source")
        .annotate(fen=Sum("amount_fen"))
        .order_by()
    )
    kind_fen: dict[str, int] = defaultdict(int)
    for row in funds:
        out.funds_by_kind_source[(row["project__kind"], row["source"])] = row["fen"] or 0
        kind_fen[row["project__kind"]] += row["fen"] or 0
    out.projects_by_kind = {k: (per_kind.get(k, 0), kind_fen.get(k, 0)) for k in set(per_kind) | set(kind_fen)}

    cover: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for village, n in registered_by_village.items():
        c = cover[roll[village]]
        c[0] += n
        c[1] += days[village].visited if village in days else 0
    out.coverage_by_child = {k: (v[0], v[1]) for k, v in cover.items()}
    return out


# ---------------------------------------------------------------- tables and charts


@dataclass
class Table:
    """One chart with its table: ``rows`` are what the table and the Excel file show; ``chart`` is what
    ECharts draws (plain numbers; money in yuan as decimal strings); ``links`` the drill-down per category."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[str | int]]
    chart: dict[str, object]
    note: str = ""


def _names(where: Place) -> dict[str, str]:
    names = {r.code: r.name for r in where.children}
    names[where.region.code] = where.region.name
    return names


def _parts(where: Place) -> list[str]:
    return [r.code for r in where.children] or [where.region.code]


def _pct(part: int, whole: int) -> str:
    if not whole:
        return "—"
    return f"{(100 * part / whole):.1f}%"  # display only


def tables(where: Place, f: Figures, link: dict[str, str]) -> list[Table]:
    """The page's charts and tables, in the order shown. ``link`` maps a child code to its dashboard URL."""
    names, parts = _names(where), _parts(where)
    links = [link.get(code, "") for code in parts]
    out: list[Table] = []

    # 1. trend: people and money by program by month
    months = [months_back(f.month, n) for n in range(TREND_MONTHS - 1, -1, -1)]
    programs = [p for p in PROGRAM_NAMES if any((m, p) in f.trend for m in months)]
    series = [
        {
            "name": PROGRAM_NAMES[p],
            "data": [fen_to_str(f.trend.get((m, p), (0, 0))[1]) for m in months],
            "households": [f.trend.get((m, p), (0, 0))[0] for m in months],
        }
        for p in programs
    ]
    rows: list[list[str | int]] = [
        [m.strftime("%Y-%m"), PROGRAM_NAMES[p], f.trend[(m, p)][0], fen_to_str(f.trend[(m, p)][1])]
        for m in months
        for p in programs
        if (m, p) in f.trend
    ]
    out.append(
        Table(
            "trend",
            "各项目按月发放（近 12 个月）",
            ["月份", "项目", "户数", "金额（元）"],
            rows,
            {"type": "line", "categories": [m.strftime("%Y-%m") for m in months], "series": series, "unit": "元"},
            note="金额为当月台账净额（发放、调整、冲正合计）。",
        )
    )

    # 2. 低保/特困 by child
    rows = []
    for code in parts:
        e, p = f.enrolled_by_child.get(code, {}), f.paid_by_child.get(code, {})
        rows.append(
            [
                names[code],
                e.get("dibao", 0),
                fen_to_str(p.get("dibao", 0)),
                e.get("tekun", 0),
                fen_to_str(p.get("tekun", 0)),
            ]
        )
    out.append(
        Table(
            "families",
            f"低保、特困户数和金额（{f.month:%Y-%m}）",
            ["区域", "低保户数", "低保金额（元）", "特困户数", "特困金额（元）"],
            rows,
            {
                "type": "bar",
                "categories": [names[c] for c in parts],
                "links": links,
                "series": [
                    {"name": "低保户数", "data": [r[1] for r in rows]},
                    {"name": "特困户数", "data": [r[3] for r in rows]},
                ],
                "unit": "户",
            },
            note="金额为只发给该类对象的项目（低保补差、分类施保、高龄和残疾人补贴；特困基本生活费、护理费）。",
        )
    )

    # 3. households by status, by child
    statuses = [*HouseholdStatus.values, ""]
    rows = []
    for code in parts:
        s = f.status_by_child.get(code, {})
        rows.append([names[code], *[s.get(k, 0) for k in statuses], sum(s.values())])
    out.append(
        Table(
            "status",
            "在册户按建档立卡状态",
            ["区域", *[STATUS_NAMES[k] for k in statuses], "合计"],
            rows,
            {
                "type": "stack",
                "categories": [names[c] for c in parts],
                "links": links,
                "series": [{"name": STATUS_NAMES[k], "data": [r[i + 1] for r in rows]} for i, k in enumerate(statuses)],
                "unit": "户",
            },
        )
    )

    # 4. 致贫原因
    cause_rows = sorted(f.causes.items(), key=lambda kv: -kv[1])
    rows = [[CAUSE_NAMES.get(k, "未填写"), n] for k, n in cause_rows]
    out.append(
        Table(
            "causes",
            "建档立卡户按致贫原因",
            ["致贫原因", "户数"],
            rows,
            {
                "type": "pie",
                "categories": [r[0] for r in rows],
                "series": [{"name": "户数", "data": [r[1] for r in rows]}],
            },
            note="一户有多个致贫原因时，每个原因各计一次。",
        )
    )

    # 5. projects and funds by kind and source
    kinds = [k for k in ProjectKind.values if k in f.projects_by_kind]
    sources = [s for s in FundSource.values if any((k, s) in f.funds_by_kind_source for k in kinds)]
    kind_names, source_names = dict(ProjectKind.choices), dict(FundSource.choices)
    rows = [
        [
            kind_names[k],
            f.projects_by_kind[k][0],
            *[fen_to_str(f.funds_by_kind_source.get((k, s), 0)) for s in sources],
            fen_to_str(f.projects_by_kind[k][1]),
        ]
        for k in kinds
    ]
    out.append(
        Table(
            "projects",
            "项目和资金按类型、来源",
            ["项目类型", "项目数", *[f"{source_names[s]}（元）" for s in sources], "资金合计（元）"],
            rows,
            {
                "type": "stack",
                "categories": [kind_names[k] for k in kinds],
                "series": [
                    {
                        "name": source_names[s],
                        "data": [fen_to_str(f.funds_by_kind_source.get((k, s), 0)) for k in kinds],
                    }
                    for s in sources
                ],
                "unit": "元",
            },
        )
    )

    # 6. 帮扶 coverage
    rows = []
    for code in parts:
        reg, seen = f.coverage_by_child.get(code, (0, 0))
        rows.append([names[code], reg, seen, _pct(seen, reg)])
    out.append(
        Table(
            "coverage",
            f"帮扶覆盖（截至 {month_end(f.month):%Y-%m-%d} 的 {COVERAGE_DAYS} 天内有帮扶记录）",
            ["区域", "建档立卡户", "90 天内走访户", "覆盖率"],
            rows,
            {
                "type": "bar",
                "categories": [names[c] for c in parts],
                "links": links,
                "series": [
                    {"name": "建档立卡户", "data": [r[1] for r in rows]},
                    {"name": "90 天内走访户", "data": [r[2] for r in rows]},
                ],
                "unit": "户",
            },
        )
    )
    return out
