"""Reads behind the 一码清 pages: benefit totals, household and region summaries, projects.

Every page costs a handful of queries whatever the size of the village or township: counts are
aggregates, benefit totals are one ``GROUP BY``, and nothing is loaded per household.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from jingzhun.public.models import PublicToken
from jingzhun.registry.models import Household, HouseholdStatus, Person, PersonStatus, Region, RegionLevel

# Public names, in the order the pages list them (the programme ids of POLICY.md).
PROGRAM_NAMES: dict[str, str] = {
    "dibao": "低保",
    "dibao_classified": "分类施保",
    "tekun_basic": "特困供养",
    "tekun_care": "特困护理",
    "elderly_allowance": "高龄补贴",
    "disabled_elder_allowance": "失能老人补贴",
    "disability_living": "困难残疾人生活补贴",
    "disability_care": "重度残疾人护理补贴",
    "price_subsidy": "价格临时补贴",
    "major_illness_care": "大病关怀救助",
    "temporary_assistance": "临时救助",
    "filial_reward": "孝亲敬老奖励",
    "income_gap_insurance": "脱贫返贫保险",
}
_ORDER = {program: i for i, program in enumerate(PROGRAM_NAMES)}

# 帮扶措施 as the public page names them, by the programme that carries them out.
MEASURES: dict[str, str] = {
    "dibao": "低保兜底保障",
    "dibao_classified": "低保兜底保障",
    "tekun_basic": "特困人员救助供养",
    "tekun_care": "特困人员救助供养",
    "elderly_allowance": "老年人补贴",
    "disabled_elder_allowance": "老年人补贴",
    "disability_living": "残疾人两项补贴",
    "disability_care": "残疾人两项补贴",
    "price_subsidy": "价格临时补贴",
    "major_illness_care": "大病关怀救助",
    "temporary_assistance": "临时救助",
    "filial_reward": "孝亲敬老奖励",
    "income_gap_insurance": "一保通脱贫返贫保险",
}


@dataclass(frozen=True)
class ProgramTotal:
    """One programme's payments in a year: amount in integer fen and how many households received it."""

    program: str
    amount_fen: int
    households: int = 1

    @property
    def name(self) -> str:
        return PROGRAM_NAMES.get(self.program, self.program)


def _payment_lines() -> Any:
    """The ledger's PaymentLine model, or None while the ledger app (or its model) is not there yet."""
    if not apps.is_installed("jingzhun.ledger"):
        return None
    try:
        return apps.get_model("ledger", "PaymentLine")
    except LookupError:
        return None


def _totals(lines: Any) -> list[ProgramTotal]:
    rows = (
        lines.values("program")
        .annotate(amount=Sum("amount_fen"), households=Count("household", distinct=True))
        .order_by()
    )
    out = [ProgramTotal(r["program"], int(r["amount"]), int(r["households"])) for r in rows if r["amount"]]
    return sorted(out, key=lambda t: (_ORDER.get(t.program, len(_ORDER)), t.program))


def _year_lines(year: int) -> Any:
    model = _payment_lines()
    if model is None:
        return None
    return model.objects.filter(month__gte=dt.date(year, 1, 1), month__lt=dt.date(year + 1, 1, 1))


def household_benefits(household: Household, year: int) -> list[ProgramTotal]:
    """本年度各项补助: the household's payments in ``year`` summed per programme, in fen; one query.

    Assumes the ledger (``jingzhun.ledger``, written separately) has a model ``ledger.PaymentLine``
    with ``household`` (FK to registry.Household), ``program`` (programme id, str), ``month`` (date,
    first day of the month paid for) and ``amount_fen`` (int; a reversal is a negative line, so sums
    net out corrections). While the app or that model is missing this returns ``[]``.
    """
    lines = _year_lines(year)
    if lines is None:
        return []
    return _totals(lines.filter(household=household))


def region_benefits(region_prefix: str, year: int) -> list[ProgramTotal]:
    """Per-programme totals (fen) and recipient households in ``year`` for every household whose
    village code starts with ``region_prefix``; one query. Same ledger assumption as
    :func:`household_benefits`; ``[]`` without it.
    """
    lines = _year_lines(year)
    if lines is None:
        return []
    return _totals(lines.filter(household__village__code__startswith=region_prefix))


def measures(benefits: list[ProgramTotal]) -> list[str]:
    """帮扶措施 named by the programmes that paid this year, without repeats, in page order."""
    return list(dict.fromkeys(MEASURES.get(b.program, b.name) for b in benefits))


def village_projects(village: Region) -> list[dict[str, object]]:
    """Projects (扶贫项目) benefiting a village, with their funds. ``[]`` until the projects app exists."""
    return []


def region_projects(region_prefix: str) -> list[dict[str, object]]:
    """Projects and funds under a township or village. ``[]`` until the projects app exists."""
    return []


def status_in_words(household: Household) -> str:
    """建档立卡 status as the public page says it."""
    if not household.registered_poor:
        return "非建档立卡户"
    year = f"{household.status_date.year}年" if household.status_date else ""
    return {
        HouseholdStatus.IDENTIFIED: "建档立卡贫困户（已识别）",
        HouseholdStatus.HELPED: "建档立卡贫困户（帮扶中）",
        HouseholdStatus.EXITED: f"已脱贫户（{year}脱贫，脱贫不脱政策）" if year else "已脱贫户（脱贫不脱政策）",
        HouseholdStatus.MONITORED: "脱贫监测户",
    }[HouseholdStatus(household.status)]


def find_token(token: str) -> PublicToken | None:
    """The active token with its target loaded, or None; always exactly one indexed query.

    Unknown, revoked and closed-household tokens all miss in the same query, so they cost the same.
    A household token also brings its head's name (``head_name``, unmasked: mask before showing) and
    the number of members in the register (``members``) as subqueries of that one query.
    """
    persons = Person.objects.filter(household=OuterRef("household_id"), status=PersonStatus.ACTIVE).order_by()
    head = persons.filter(relation="head").order_by("id").values("name")[:1]
    members = persons.values("household").annotate(n=Count("pk")).values("n")
    rows = list(
        PublicToken.objects.select_related("region__parent", "household__village__parent")
        .filter(Q(household__isnull=True) | Q(household__active=True), token=token, revoked_at__isnull=True)
        .annotate(head_name=Subquery(head), members=Coalesce(Subquery(members), 0))
        .order_by()[:1]
    )
    return rows[0] if rows else None


@dataclass(frozen=True)
class RegionCounts:
    households: int
    registered_poor: int
    exited: int
    persons: int


def region_counts(region: Region) -> RegionCounts:
    """户数、建档立卡户数、已脱贫户数、人数 of the active households of a village or township; two queries.

    Filtered by region id (the village, or the township's villages) rather than by code prefix: an
    equality the planner can estimate and the (village, active) index serves.
    """
    if region.level == RegionLevel.VILLAGE:
        households = Household.objects.filter(active=True, village=region)
    else:
        households = Household.objects.filter(active=True, village__parent=region)
    registered = Q(registered_year__isnull=False, status__in=HouseholdStatus.values)
    agg = households.aggregate(
        total=Count("pk"),
        registered=Count("pk", filter=registered),
        exited=Count("pk", filter=registered & Q(status=HouseholdStatus.EXITED)),
    )
    persons = Person.objects.filter(status=PersonStatus.ACTIVE, household__in=households.values("pk")).count()
    return RegionCounts(
        households=agg["total"], registered_poor=agg["registered"], exited=agg["exited"], persons=persons
    )


def _active_token_of(field: str) -> Subquery:
    return Subquery(PublicToken.objects.filter(revoked_at__isnull=True, **{field: OuterRef("pk")}).values("token")[:1])


def township_villages(township: Region) -> list[Region]:
    """The township's villages, each with ``public_token`` (its own active token or None); one query."""
    return list(
        Region.objects.filter(parent=township, level=RegionLevel.VILLAGE)
        .annotate(public_token=_active_token_of("region"))
        .order_by("code")
    )


def parent_token(region: Region) -> str | None:
    """The active public token of the region's parent township, if any; one query."""
    if region.parent_id is None:
        return None
    return (
        PublicToken.objects.filter(revoked_at__isnull=True, region_id=region.parent_id)
        .values_list("token", flat=True)
        .first()
    )
