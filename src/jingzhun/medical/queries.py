"""Reads of the medical app, region scoped: stays, current settlements, the monthly/yearly report.

A stay's *current* settlement is its row with the highest ``seq`` (an adjustment replaces the earlier
figures without editing them). The report counts current settlements only, grouped by discharge month.

Report figures (POLICY.md §7, the 兴县 通报 style):

* per line (基本医保 … "136"): stays where the line paid something, and the amount;
* the average effective ratio of registered-poor in-province stays: the mean of the stays' own ratios
  (1 − OOP / total, each half-up to 4 places as printed on the 结算单), target ≥ 90 %;
* patients over the 136 cap: persons with a "136" payment in the period (their in-province OOP of the
  year passed the cap), with the amount the county paid above it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, QuerySet

from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.medical.models import LINE_FIELDS, ChronicCertificate, ChronicClaim, Settlement, Stay
from jingzhun.policy.medical.settle import NAMES_ZH

IN_PROVINCE = ("county", "city", "province")
TARGET_RATIO = Decimal("0.90")


def stays_for(actor: Actor) -> QuerySet[Stay]:
    """Stays the actor may read: their region's; a 帮扶 cadre only their own households' (as the registry)."""
    stays = Stay.objects.all()
    if actor.scope:
        stays = stays.filter(household__village__code__startswith=actor.scope)
    if actor.role == Role.ASSIGNED_CADRE:
        stays = stays.filter(household__assigned_cadre=actor.user)
    return stays


def certificates_for(actor: Actor) -> QuerySet[ChronicCertificate]:
    """慢性病门诊 certificates the actor may read, scoped as the stays are."""
    certificates = ChronicCertificate.objects.all()
    if actor.scope:
        certificates = certificates.filter(person__household__village__code__startswith=actor.scope)
    if actor.role == Role.ASSIGNED_CADRE:
        certificates = certificates.filter(person__household__assigned_cadre=actor.user)
    return certificates


def chronic_claims_for(actor: Actor) -> QuerySet[ChronicClaim]:
    """慢性病门诊 outpatient claims the actor may read (their certificate's patient in the actor's region)."""
    return ChronicClaim.objects.filter(certificate__in=certificates_for(actor))


def current_settlements() -> QuerySet[Settlement]:
    later = Settlement.objects.filter(stay=OuterRef("stay"), seq__gt=OuterRef("seq"))
    return Settlement.objects.filter(~Exists(later))


def current_for(stay: Stay) -> Settlement | None:
    result: Settlement | None = stay.settlements.order_by("-seq").first()
    return result


@dataclass
class LineFigure:
    line: str
    name: str
    stays: int = 0
    amount_fen: int = 0


@dataclass
class Period:
    label: str  # "2019-03" or "2019 全年"
    stays: int = 0
    total_fen: int = 0
    oop_fen: int = 0
    lines: dict[str, LineFigure] = field(default_factory=dict)
    poor_in_province: int = 0
    ratio_sum: Decimal = Decimal(0)

    @property
    def average_ratio(self) -> Decimal | None:
        if not self.poor_in_province:
            return None
        return (self.ratio_sum / self.poor_in_province).quantize(Decimal("0.0001"), ROUND_HALF_UP)

    @property
    def meets_target(self) -> bool | None:
        avg = self.average_ratio
        return None if avg is None else avg >= TARGET_RATIO


@dataclass
class OverCap:
    person_id: int
    name: str
    household_no: str
    stays: int
    cap136_fen: int
    oop_fen: int


@dataclass
class Report:
    year: int
    scope: str
    months: list[Period]
    year_total: Period
    over_cap: list[OverCap]


def _period(label: str) -> Period:
    return Period(label, lines={line: LineFigure(line, NAMES_ZH[line]) for line in LINE_FIELDS})


def build_report(actor: Actor, year: int) -> Report:
    """The year's figures by discharge month and for the whole year; one pass over the current settlements."""
    rows = (
        current_settlements()
        .filter(
            stay__in=stays_for(actor).filter(
                discharged__gte=dt.date(year, 1, 1), discharged__lt=dt.date(year + 1, 1, 1)
            )
        )
        .values_list(
            "stay__discharged",
            "stay__total_fen",
            "stay__registered_poor",
            "stay__hospital__level",
            "stay__person_id",
            "stay__person__name",
            "stay__household__household_no",
            "oop_fen",
            "ratio",
            *(f"{line}_fen" for line in LINE_FIELDS),
        )
        .order_by()
    )
    months = {m: _period(f"{year}-{m:02d}") for m in range(1, 13)}
    total = _period(f"{year} 全年")
    over: dict[int, OverCap] = {}
    for discharged, stay_total, poor, level, person_id, name, household_no, oop, ratio, *paid in rows.iterator():
        for period in (months[discharged.month], total):
            period.stays += 1
            period.total_fen += stay_total
            period.oop_fen += oop
            for line, fen in zip(LINE_FIELDS, paid, strict=True):
                if fen:
                    period.lines[line].stays += 1
                    period.lines[line].amount_fen += fen
            if poor and level in IN_PROVINCE:
                period.poor_in_province += 1
                period.ratio_sum += Decimal(ratio)
        entry = over.get(person_id)
        if entry is None:
            entry = over[person_id] = OverCap(person_id, name, household_no, 0, 0, 0)
        entry.stays += 1
        entry.cap136_fen += paid[LINE_FIELDS.index("cap136")]
        entry.oop_fen += oop
    scope = actor.scope
    over_cap = sorted((o for o in over.values() if o.cap136_fen), key=lambda o: -o.cap136_fen)
    return Report(year, scope, [months[m] for m in range(1, 13)], total, over_cap)


@dataclass(frozen=True)
class ChronicClaimRow:
    claim_no: str
    household_no: str
    date: dt.date
    in_catalogue_fen: int
    disease: str  # the certificate's disease code


def chronic_claims(region_prefix: str, year: int) -> list[ChronicClaimRow]:
    """The year's 慢性病门诊 claims of patients under the region prefix (for the 一保通 supplement)."""
    from jingzhun.medical.models import ChronicClaim

    fields = ("claim_no", "certificate__person__household__household_no", "date", "in_catalogue_fen")
    rows = (
        ChronicClaim.objects.filter(
            certificate__person__household__village__code__startswith=region_prefix, date__year=year
        )
        .order_by("date", "claim_no")
        .values_list(*fields, "certificate__disease")
    )
    return [ChronicClaimRow(*row) for row in rows]
