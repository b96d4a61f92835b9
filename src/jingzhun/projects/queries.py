"""Reads of the project-and-fund library for the 一码清 pages and for staff, region-scoped.

Which projects a page shows (kept simple on purpose, and the same for every page):

* a village page lists the projects located in that village;
* a township page lists the projects located in the township itself or in any of its villages;
* a county code lists every project of the county (county, townships and villages);
* a household page lists its village's projects (the caller passes the village code).

A project located in a township or the county (a 集中安置点, a county PV plant) therefore shows on
that township's page, not on each village's. Each function is one query, whatever the number of
projects: funds are summed in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from jingzhun.core.scope import region_prefix
from jingzhun.projects.models import (
    FundAllocation,
    FundSource,
    PerformanceRecord,
    Project,
    ProjectKind,
    ProjectStatus,
)


@dataclass(frozen=True)
class PublicProject:
    """What the public page says about one project; funds in integer fen."""

    name: str
    kind_label: str
    year: int
    funds_fen: int
    beneficiary_households: int
    status_label: str
    # the latest 绩效考评, counts only (no household is named on a public page); empty when none yet
    grade: str = ""
    score: str = ""
    evaluated_households: int = 0
    evaluated_poor_households: int = 0
    income_increase_fen: int = 0


@dataclass(frozen=True)
class FundTotal:
    """Funds from one source over a region's projects, in integer fen."""

    source: str
    source_label: str
    amount_fen: int


def projects_under(region_code: str, year: int | None = None) -> QuerySet[Project]:
    """Projects located in ``region_code`` or any region below it (village: that village only)."""
    projects = Project.objects.filter(region__code__startswith=region_prefix(region_code))
    return projects if year is None else projects.filter(year=year)


def public_projects(region_code: str, year: int | None = None) -> list[PublicProject]:
    """The projects a 一码清 page of ``region_code`` lists (see the module docstring), newest year
    first; ``year`` keeps one year only. One query."""
    latest = PerformanceRecord.objects.filter(project=OuterRef("pk")).order_by("-evaluated_on", "-id")
    rows = (
        projects_under(region_code, year)
        .annotate(
            funds=Coalesce(Sum("allocations__amount_fen"), 0),
            perf_grade=Subquery(latest.values("grade")[:1]),
            perf_score=Subquery(latest.values("score")[:1]),
            perf_households=Subquery(latest.values("households")[:1]),
            perf_poor=Subquery(latest.values("poor_households")[:1]),
            perf_income=Subquery(latest.values("income_increase_fen")[:1]),
        )
        .order_by("-year", "code")
        .values_list(
            "name",
            "kind",
            "year",
            "funds",
            "beneficiary_households",
            "status",
            "perf_grade",
            "perf_score",
            "perf_households",
            "perf_poor",
            "perf_income",
        )
    )
    return [
        PublicProject(
            name=name,
            kind_label=str(ProjectKind(kind).label),
            year=year_,
            funds_fen=int(funds),
            beneficiary_households=households,
            status_label=str(ProjectStatus(status).label),
            grade=grade or "",
            score=f"{score:.2f}" if score is not None else "",
            evaluated_households=perf_households or 0,
            evaluated_poor_households=perf_poor or 0,
            income_increase_fen=perf_income or 0,
        )
        for name, kind, year_, funds, households, status, grade, score, perf_households, perf_poor, perf_income in rows
    ]


def totals_by_region(region_code: str, year: int | None = None) -> list[FundTotal]:
    """Funds by source over the projects :func:`public_projects` lists, in FundSource order; sources
    with no funds left out. One query."""
    allocations = FundAllocation.objects.filter(project__region__code__startswith=region_prefix(region_code))
    if year is not None:
        allocations = allocations.filter(project__year=year)
    sums = dict(allocations.values("source").annotate(total=Sum("amount_fen")).values_list("source", "total"))
    return [
        FundTotal(source=source.value, source_label=str(source.label), amount_fen=int(sums[source.value]))
        for source in FundSource
        if sums.get(source.value)
    ]


@dataclass(frozen=True)
class PublicPvYear:
    """One year of a village's PV revenue as the 一码清 village page shows it: totals by use only (no
    payee, no post holder: the page is public)."""

    year: int
    generation_kwh: int
    revenue_fen: int
    uses: tuple[tuple[str, int], ...]  # (用途, fen) in PV_USES order, every use listed

    @property
    def distributed_fen(self) -> int:
        return sum(fen for _, fen in self.uses)


@dataclass(frozen=True)
class PublicPv:
    stations: tuple[tuple[str, str], ...]  # (电站名称, 装机容量千瓦)
    years: tuple[PublicPvYear, ...]  # newest first
    undistributed_fen: int  # all years' revenue less all distribution

    @property
    def capacity_kw(self) -> str:
        from decimal import Decimal

        return str(sum((Decimal(kw) for _, kw in self.stations), Decimal("0.00")))


def public_pv(village_code: str) -> PublicPv | None:
    """The village's PV stations, each year's generation and revenue and its distribution by use (POLICY.md
    §9: the revenue belongs to the village); None when the village has no station. Three queries."""
    from jingzhun.policy.projects_rules import PV_USES
    from jingzhun.projects.models import PvDistribution, PvStation, PvYear

    stations = tuple(
        (s.name, f"{s.capacity_kw:.2f}") for s in PvStation.objects.filter(village__code=village_code).order_by("id")
    )
    if not stations:
        return None
    revenue = (
        PvYear.objects.filter(station__village__code=village_code)
        .values("year")
        .annotate(kwh=Sum("generation_kwh"), fen=Sum("revenue_fen"))
        .order_by("-year")
    )
    planned: dict[tuple[int, str], int] = {
        (row["year"], row["use"]): int(row["fen"])
        for row in PvDistribution.objects.filter(village__code=village_code)
        .values("year", "use")
        .annotate(fen=Sum("amount_fen"))
        .order_by()
    }
    years = {int(r["year"]): (int(r["kwh"] or 0), int(r["fen"] or 0)) for r in revenue}
    for year, _ in planned:  # a plan for a year without revenue of its own (spending earlier years')
        years.setdefault(year, (0, 0))
    out = tuple(
        PublicPvYear(
            year=year,
            generation_kwh=kwh,
            revenue_fen=fen,
            uses=tuple((name, planned.get((year, use), 0)) for use, name in PV_USES.items()),
        )
        for year, (kwh, fen) in sorted(years.items(), reverse=True)
    )
    total_revenue = sum(y.revenue_fen for y in out)
    return PublicPv(stations, out, total_revenue - sum(y.distributed_fen for y in out))


@dataclass(frozen=True)
class PvReportRow:
    village_code: str
    village: str
    stations: int
    capacity_kw: str
    generation_kwh: int  # the year's
    revenue_fen: int  # the year's
    uses: dict[str, int]  # the year's distribution by use (PV_USES keys, every use present)
    undistributed_fen: int  # all years' revenue less all distribution, to date

    def as_dict(self) -> dict[str, object]:
        from jingzhun.policy.money import fen_to_str

        return {
            "village": self.village_code,
            "name": self.village,
            "stations": self.stations,
            "capacity_kw": self.capacity_kw,
            "generation_kwh": self.generation_kwh,
            "revenue": fen_to_str(self.revenue_fen),
            "distributed": {use: fen_to_str(fen) for use, fen in self.uses.items()},
            "undistributed": fen_to_str(self.undistributed_fen),
        }


def pv_report(year: int, prefix: str) -> list[PvReportRow]:
    """Each village under ``prefix`` with a PV station: the year's generation, revenue and distribution by
    use, and what is left undistributed to date (``jingzhun pv report``). Four grouped queries."""
    from decimal import Decimal

    from jingzhun.policy.projects_rules import PV_USES
    from jingzhun.projects.models import PvDistribution, PvStation, PvYear

    stations: dict[int, list[Any]] = {}
    for s in PvStation.objects.filter(village__code__startswith=prefix).select_related("village").order_by("id"):
        stations.setdefault(s.village_id, []).append(s)
    mine = {"station__village_id__in": list(stations)}
    years = PvYear.objects.filter(**mine).values("station__village_id", "year")
    this_year: dict[int, tuple[int, int]] = {
        r["station__village_id"]: (int(r["kwh"]), int(r["fen"]))
        for r in years.filter(year=year).annotate(kwh=Sum("generation_kwh"), fen=Sum("revenue_fen")).order_by()
    }
    revenue_all = {
        r["station__village_id"]: int(r["fen"])
        for r in PvYear.objects.filter(**mine).values("station__village_id").annotate(fen=Sum("revenue_fen")).order_by()
    }
    lines = PvDistribution.objects.filter(village_id__in=list(stations))
    by_use: dict[tuple[int, str], int] = {
        (r["village_id"], r["use"]): int(r["fen"])
        for r in lines.filter(year=year).values("village_id", "use").annotate(fen=Sum("amount_fen")).order_by()
    }
    distributed_all = {
        r["village_id"]: int(r["fen"]) for r in lines.values("village_id").annotate(fen=Sum("amount_fen")).order_by()
    }
    out = []
    for village_id, own in stations.items():
        village = own[0].village
        kwh, fen = this_year.get(village_id, (0, 0))
        out.append(
            PvReportRow(
                village_code=village.code,
                village=village.name,
                stations=len(own),
                capacity_kw=str(sum((s.capacity_kw for s in own), Decimal("0.00"))),
                generation_kwh=kwh,
                revenue_fen=fen,
                uses={use: by_use.get((village_id, use), 0) for use in PV_USES},
                undistributed_fen=revenue_all.get(village_id, 0) - distributed_all.get(village_id, 0),
            )
        )
    return sorted(out, key=lambda r: r.village_code)
