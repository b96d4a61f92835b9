"""Reads of the exit part: lists, village incidence and what blocks each village, the county's 三率一度.

Every figure comes from a bounded number of aggregate queries (no query per village or household).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q, Sum

from jingzhun.core import workday
from jingzhun.core.actions import Actor
from jingzhun.monitoring.exit.check import check_households
from jingzhun.monitoring.models import ExitList, SampleFinding, SampleOutcome, SurveyCount
from jingzhun.policy.exit_check import CRITERIA_ZH
from jingzhun.policy.exit_rates import CountyVerdict, ExitThresholds, county_verdict, rate, thresholds, village_passes
from jingzhun.registry.models import NOT_EXITED_STATUSES, Household, Person, PersonStatus, Region

NOT_EXITED = NOT_EXITED_STATUSES  # 未脱贫 and 返贫: not (or no longer) out of poverty


def panel_year(household: Any) -> int:
    """The year of the village's latest 预退出 list, else the latest list's anywhere, else the current year
    (a caseworker looks at the year being worked on)."""
    years = ExitList.objects.order_by("-year").values_list("year", flat=True)
    return years.filter(village_id=household.village_id).first() or years.first() or workday.today().year


def not_exited(village_prefix: str) -> Any:
    """Registered-poor households not yet exited (未脱贫), open, in the region."""
    return Household.objects.filter(
        village__code__startswith=village_prefix, registered_year__isnull=False, status__in=NOT_EXITED, active=True
    )


@dataclass
class VillageRow:
    code: str
    name: str
    township: str
    population: int = 0
    poor: int = 0  # registered-poor persons not yet exited
    households_left: int = 0
    passing_left: int = 0  # of those, households that pass the exit check now
    failing: Counter[str] = field(default_factory=Counter)  # criterion → households failing it
    stage: str = ""
    list_pk: int | None = None

    @property
    def incidence(self) -> Fraction | None:
        return rate(self.poor, self.population)

    def blocks(self, t: ExitThresholds) -> list[str]:
        """What still keeps the village from exiting, in Chinese (empty: it may exit)."""
        if village_passes(self.incidence, t):
            return []
        out = [f"{self.households_left} 户 {self.poor} 人未脱贫"]
        if self.passing_left:
            out.append(f"其中 {self.passing_left} 户已达到退出标准，可列入预退出名单")
        out += [f"{n} 户未通过「{CRITERIA_ZH[code]}」" for code, n in self.failing.most_common()]
        return out


def _village_ids(prefix: str) -> list[int]:
    """The villages under ``prefix`` by id: persons are then counted from their households' village index (the
    region-code join read every person of the county first: bench/bench_monitor_pages.py)."""
    return list(Region.objects.filter(level="village", code__startswith=prefix).values_list("pk", flat=True))


def village_rows(prefix: str, year: int, t: ExitThresholds | None = None) -> list[VillageRow]:
    """Every village under ``prefix`` with its incidence and blockers (six queries plus the vectorised check).

    The population is counted per household village id from the households' village index and the members'
    (household, status) index — no region join, no household filter evaluated on every person; the poor
    are counted over the not-exited households only (a few per cent of the county). The exit check runs
    once, vectorised, over the not-exited households — with thresholds ``t``, only those of the villages
    whose incidence is not below the limit: a village that may exit shows no blockers, so its households'
    check is not needed (``passing_left`` and ``failing`` stay empty there). Nothing is stored or cached:
    every request reads the registry as it is."""
    villages = (
        Region.objects.filter(level="village", code__startswith=prefix)
        .order_by("code")
        .values("pk", "code", "name", "parent__name")
    )
    rows: dict[str, VillageRow] = {}
    by_id: dict[int, VillageRow] = {}
    for v in villages:
        rows[v["code"]] = by_id[v["pk"]] = VillageRow(v["code"], v["name"], v["parent__name"] or "")
    persons = Person.objects.filter(status=PersonStatus.ACTIVE)
    totals = (
        persons.filter(household__village_id__in=list(by_id))
        .values("household__village_id")
        .annotate(n=Count("id"))
        .values_list("household__village_id", "n")
    )
    for village_id, n in totals:
        by_id[village_id].population = n
    poor = (
        persons.filter(household__in=not_exited(prefix))
        .values("household__village_id")
        .annotate(n=Count("id"))
        .values_list("household__village_id", "n")
    )
    for village_id, n in poor:
        by_id[village_id].poor = n
    left = list(not_exited(prefix).values_list("id", "village_id"))
    needed = [pk for pk, village_id in left if t is None or not village_passes(by_id[village_id].incidence, t)]
    results = check_households(needed, year)
    for pk, village_id in left:
        row = by_id[village_id]
        row.households_left += 1
        if pk not in results:
            continue
        if results[pk].exit_ok:
            row.passing_left += 1
        row.failing.update(results[pk].failed)
    for pk, code, stage in ExitList.objects.filter(village__code__startswith=prefix, year=year).values_list(
        "pk", "village__code", "stage"
    ):
        rows[code].stage, rows[code].list_pk = stage, pk
    return list(rows.values())


@dataclass(frozen=True)
class CountyFigures:
    county: Region
    year: int
    population: int
    poor: int
    exited_sampled: int
    wrongly_exited: int
    other_sampled: int
    wrongly_missed: int
    asked: int
    approving: int
    thresholds: ExitThresholds
    verdict: CountyVerdict

    @property
    def incidence(self) -> Fraction | None:
        return rate(self.poor, self.population)

    @property
    def wrong_exit(self) -> Fraction | None:
        return rate(self.wrongly_exited, self.exited_sampled)

    @property
    def missed(self) -> Fraction | None:
        return rate(self.wrongly_missed, self.other_sampled)

    @property
    def approval(self) -> Fraction | None:
        return rate(self.approving, self.asked)


def county_figures(county: Region, year: int) -> CountyFigures:
    """三率一度 of the county for the year: incidence now, the year's sample checks and surveys (all summed)."""
    people = Person.objects.filter(status=PersonStatus.ACTIVE, household__village_id__in=_village_ids(county.code))
    # two counts, each from indexes alone: every person of the county (households' village index, members'
    # (household, status) index) and the few of the not-exited households (their status index)
    totals = {
        "total": people.count(),
        "poor": people.filter(
            household__registered_year__isnull=False, household__status__in=NOT_EXITED, household__active=True
        ).count(),
    }
    findings = SampleFinding.objects.filter(sample__county=county, sample__year=year).aggregate(
        exited=Count("id", filter=Q(exited_sample=True)),
        wrong=Count("id", filter=Q(exited_sample=True, outcome=SampleOutcome.WRONGLY_EXITED)),
        other=Count("id", filter=Q(exited_sample=False)),
        missed=Count("id", filter=Q(exited_sample=False, outcome=SampleOutcome.WRONGLY_MISSED)),
    )
    survey = SurveyCount.objects.filter(county=county, year=year).aggregate(asked=Sum("asked"), yes=Sum("approving"))
    t = thresholds(county.code, year)
    args: dict[str, Any] = {
        "population": totals["total"],
        "poor": totals["poor"],
        "exited_sampled": findings["exited"],
        "wrongly_exited": findings["wrong"],
        "other_sampled": findings["other"],
        "wrongly_missed": findings["missed"],
        "asked": survey["asked"] or 0,
        "approving": survey["yes"] or 0,
    }
    verdict = county_verdict(
        rate(args["poor"], args["population"]),
        rate(args["wrongly_exited"], args["exited_sampled"]),
        rate(args["wrongly_missed"], args["other_sampled"]),
        rate(args["approving"], args["asked"]),
        t,
    )
    return CountyFigures(county=county, year=year, thresholds=t, verdict=verdict, **args)


def lists_for(actor: Actor) -> Any:
    lists = ExitList.objects.select_related("village__parent")
    return lists.filter(village__code__startswith=actor.scope) if actor.scope else lists


def township_totals(rows: list[VillageRow]) -> list[dict[str, Any]]:
    by: dict[str, dict[str, Any]] = defaultdict(lambda: {"population": 0, "poor": 0, "villages": 0})
    for r in rows:
        t = by[r.code[:9]]
        t["name"] = r.township
        t["population"] += r.population
        t["poor"] += r.poor
        t["villages"] += 1
    return [{"code": code, **t, "incidence": rate(t["poor"], t["population"])} for code, t in sorted(by.items())]
