"""光伏收益 (资产收益): village PV stations, their yearly generation and revenue, and its distribution (issue #17,
POLICY.md §9). Every write one function, one transaction, one audit row, region-checked.

* The revenue belongs to the station's village (收益确权到村) and is distributed only to 公益岗位 wages,
  small public works and conditional rewards — never as unconditional cash or dividends
  (``policy.projects_rules.check_pv_distribution``); a plan may not exceed the revenue recorded so far less
  what was already distributed.
* A wage line names a 公益岗位 of the village funded by the PV revenue (``WelfarePost.funding``); what was
  actually paid to it is its months' wages in the ledger (``post_actions.pay_post_month``), shown beside the
  plan by :func:`village_summary`.
* Stations, yearly revenue and distribution plans are recorded by township and county staff (the village's
  plan is decided by its 村民代表会议 and approved by the township); village staff and auditors read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum

from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.models import Role
from jingzhun.policy import projects_rules as rules
from jingzhun.projects.models import PostFunding, PostMonth, PvDistribution, PvStation, PvYear, WelfarePost
from jingzhun.registry.models import Region, RegionLevel

PV_WRITERS = frozenset({Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER, Role.ADMIN})


def _writer(actor: Actor, code: str) -> None:
    check_region(actor, code)
    if actor.role not in PV_WRITERS:
        raise PermissionDenied("光伏电站、收益和分配方案由乡镇或县级经办人员登记。")


def _village(code: str) -> Region:
    village = Region.objects.filter(code=code, level=RegionLevel.VILLAGE).first()
    if village is None:
        raise ValidationError({"village": f"村级区划代码 {code} 不存在 [village]"})
    return village


def create_station(actor: Actor, *, village_code: str, name: str, capacity_kw: Decimal, built_year: int) -> PvStation:
    _writer(actor, village_code)
    village = _village(village_code)
    problems = []
    if not name.strip() or len(name.strip()) > 60:
        problems.append("电站名称不能为空，最多 60 字 [name]")
    if not isinstance(capacity_kw, Decimal) or not capacity_kw.is_finite() or capacity_kw <= 0:
        problems.append("装机容量应为大于 0 的千瓦数 [capacity_kw]")
    if not isinstance(built_year, int) or not 2013 <= built_year <= 2100:
        problems.append("建成年份应在 2013 到 2100 之间 [built_year]")
    if problems:
        raise ValidationError({"__all__": problems})
    with transaction.atomic():
        station = PvStation.objects.create(
            village=village, name=name.strip(), capacity_kw=capacity_kw, built_year=built_year, created_by=actor.label
        )
        record_audit(
            actor,
            "projects.create_pv_station",
            object_type="PvStation",
            object_id=station.pk,
            region_code=village.code,
            after={"name": station.name, "capacity_kw": str(capacity_kw), "built_year": built_year},
        )
    return station


def record_year(actor: Actor, station: PvStation, *, year: int, generation_kwh: int, revenue_fen: int) -> PvYear:
    """A station's generation (千瓦时) and revenue (fen) for a year; a year is recorded once."""
    station = PvStation.objects.select_related("village").get(pk=station.pk)
    _writer(actor, station.village.code)
    problems = []
    if not isinstance(year, int) or not station.built_year <= year <= 2100:
        problems.append(f"年度应不早于建成年份 {station.built_year} [year]")
    if isinstance(generation_kwh, bool) or not isinstance(generation_kwh, int) or generation_kwh < 0:
        problems.append("发电量应为不小于 0 的整数千瓦时 [generation_kwh]")
    if isinstance(revenue_fen, bool) or not isinstance(revenue_fen, int) or revenue_fen < 0:
        problems.append("收益应为不小于 0 的整数分 [revenue_fen]")
    if PvYear.objects.filter(station=station, year=year).exists():
        problems.append(f"{station.name} {year} 年的收益已登记 [year]")
    if problems:
        raise ValidationError({"__all__": problems})
    try:
        with transaction.atomic():
            record = PvYear.objects.create(
                station=station,
                year=year,
                generation_kwh=generation_kwh,
                revenue_fen=revenue_fen,
                recorded_by=actor.label,
            )
            record_audit(
                actor,
                "projects.record_pv_year",
                object_type="PvYear",
                object_id=record.pk,
                region_code=station.village.code,
                after={
                    "station": station.pk,
                    "year": year,
                    "generation_kwh": generation_kwh,
                    "revenue_fen": revenue_fen,
                },
            )
    except IntegrityError as exc:
        raise ValidationError({"__all__": [f"{station.name} {year} 年的收益已登记 [year]"]}) from exc
    return record


def _revenue(village: Region, upto_year: int) -> rules.PvRevenue:
    revenue = PvYear.objects.filter(station__village=village, year__lte=upto_year).aggregate(s=Sum("revenue_fen"))
    distributed = PvDistribution.objects.filter(village=village).aggregate(s=Sum("amount_fen"))
    return rules.PvRevenue(village.code, int(revenue["s"] or 0), int(distributed["s"] or 0))


def distribute(actor: Actor, *, village_code: str, year: int, lines: list[dict[str, Any]]) -> list[PvDistribution]:
    """Record a distribution plan: each line ``{"use", "amount_fen", "post" (pk, wages), "condition"
    (rewards), "payee" (works), "note"}``; all lines or none (every problem listed, numbered by line)."""
    _writer(actor, village_code)
    village = _village(village_code)
    problems: list[str] = []
    plan: list[rules.PvPlanLine] = []
    posts: list[WelfarePost | None] = []
    for n, raw in enumerate(lines, start=1):
        use, amount = str(raw.get("use", "")), raw.get("amount_fen")
        if isinstance(amount, bool) or not isinstance(amount, int):
            problems.append(f"第{n}行 [amount_fen]：金额应为整数分")
            amount = 0
        post = None
        payee = str(raw.get("payee", "")).strip()
        if use == "public_welfare_wages":
            post = WelfarePost.objects.select_related("holder").filter(pk=raw.get("post") or 0).first()
            if post is None or post.village_id != village.pk:
                problems.append(f"第{n}行 [post]：光伏收益发放的公益岗位工资须是本村登记的公益岗位")
                post = None
            elif post.funding != PostFunding.PV_REVENUE:
                problems.append(f"第{n}行 [post]：岗位「{post.title}」的资金来源不是村级光伏收益")
            else:
                payee = post.holder.name
        posts.append(post)
        plan.append(rules.PvPlanLine(village.code, use, amount, payee, str(raw.get("condition", "")).strip()))
    if not lines:
        problems.append("分配方案没有分配行 [lines]")
    problems.extend(rules.check_pv_distribution(_revenue(village, year), plan))
    if problems:
        raise ValidationError({"__all__": problems})
    with transaction.atomic():
        made = [
            PvDistribution.objects.create(
                village=village,
                year=year,
                use=line.use,
                amount_fen=line.amount_fen,
                post=post,
                payee=line.payee[:60],
                condition=line.condition[:100],
                note=str(raw.get("note", "")).strip()[:200],
                decided_by=actor.label,
            )
            for line, post, raw in zip(plan, posts, lines, strict=True)
        ]
        record_audit(
            actor,
            "projects.distribute_pv_revenue",
            object_type="PvDistribution",
            object_id=",".join(str(d.pk) for d in made),
            region_code=village.code,
            after={
                "year": year,
                "lines": [
                    {
                        "use": d.use,
                        "amount_fen": d.amount_fen,
                        "post": d.post_id,
                        "payee": d.payee,
                        "condition": d.condition,
                    }
                    for d in made
                ],
            },
        )
    return made


@dataclass
class VillagePv:
    """A village's PV revenue, its distribution by use and the wages paid from it."""

    village: Region
    stations: list[PvStation]
    years: list[PvYear]
    revenue_fen: int = 0
    generation_kwh: int = 0
    planned_by_use: dict[str, int] = field(default_factory=dict)
    wages_paid_fen: int = 0  # months' wages of the village's PV-funded posts, from the ledger's source records
    lines: list[PvDistribution] = field(default_factory=list)

    @property
    def planned_fen(self) -> int:
        return sum(self.planned_by_use.values())

    @property
    def undistributed_fen(self) -> int:
        return self.revenue_fen - self.planned_fen


def village_summary(village: Region) -> VillagePv:
    stations = list(PvStation.objects.filter(village=village))
    years = list(PvYear.objects.filter(station__village=village).select_related("station").order_by("year", "station"))
    out = VillagePv(village, stations, years)
    out.revenue_fen = sum(y.revenue_fen for y in years)
    out.generation_kwh = sum(y.generation_kwh for y in years)
    out.lines = list(PvDistribution.objects.filter(village=village).select_related("post"))
    planned: dict[str, int] = defaultdict(int)
    for line in out.lines:
        planned[line.use] += line.amount_fen
    out.planned_by_use = dict(planned)
    paid = PostMonth.objects.filter(post__village=village, post__funding=PostFunding.PV_REVENUE).aggregate(
        s=Sum("wage_fen")
    )
    out.wages_paid_fen = int(paid["s"] or 0)
    return out
