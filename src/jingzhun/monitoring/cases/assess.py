"""The monthly 返贫预警 assessment over the database (POLICY.md §8): build each household's monitoring
document with Polars from where its inputs live, assess it with the pure rules
(:func:`jingzhun.policy.monitoring.assess_household` — never re-encoded here), and record flags and cases.

Inputs, for month M (year Y, month m; the window is the 12 months before the 1st of M):

* **category** — 户状态 已脱贫（享受政策） / 已脱贫（不再享受政策） → ``exited``; 未脱贫 / 返贫 →
  ``registered``; otherwise the registry's 边缘易致贫户 mark → ``marginal``; otherwise ``other``.
* **size** — active members; **labour_capacity** — some active member with 劳动能力 有 or 弱. A member
  serving a sentence (服刑, :mod:`jingzhun.registry.custody`) on the 1st of M is not a member of the
  共同生活家庭 for M, as in the month run (:mod:`jingzhun.registry.documents`; POLICY.md §8: a
  prisoners-list hit means "member does not share income"): he is out of ``size``, of the income sums
  below, and of the labour, schooling and medical member checks; a household whose every member is
  serving has no member for M and is not assessed, as the month run leaves it out.
* **incomes** — the registry stores yearly incomes per person (:class:`IncomeRecord`). A person's income of
  year y is their record of y, or, when y has none yet, their latest earlier record (a year is recorded
  after it ends, so the current year is usually the previous one carried forward). The household's
  ``income_prev_year`` is the sum for Y−1; ``income_12m`` spreads each year evenly over its months:
  (13−m)/12 of Y−1 plus (m−1)/12 of Y, rounded down to the fen (m = 1: exactly Y−1).
* **rigid_costs_12m / hospital_oop_12m** — the sum of every registered cost source
  (:mod:`jingzhun.core.monitoring_sources`: 临时救助 from assistance now; 住院结算 when the medical app
  registers) over the window.
* **checks** — from the registry's fields as they are today, read as the exit check reads them (POLICY.md
  §8: "in_school or school_exempt_health", "grade A or B, or relocated_keys"): ``schooling`` false when an
  active member of school age is 非在校 or marked 辍学 and not 因病免学 — school age 6–15 as the exit check
  counts it (completed years on 1 September), on the 1 September that began M's school year (the last one
  on or before the 1st of M: a child who turns 6 in March is not of school age until September);
  ``medical`` false when an active member is not insured; ``housing`` false for grade C/D unless the
  relocation flat has been handed over (已交付搬迁安置房); ``water``, once all four water indicators and the
  dry-area flag are recorded and water is an exit criterion in M's year (from 2019), is the exit check's
  water criterion with its thresholds (``exit_check.water_*`` of the household's county on 1 January of
  M's year: ≥ 35 litres, ≥ 20 in a dry area, ≤ 20 minutes, ≤ 36 days, quality) — so a household that
  fails the exit's water cannot be 风险消除'd — else the coarse 饮水安全 field (false when 否). A check
  whose field is missing (no housing grade) is **unknown** and left out of the document, so it raises no
  flag.
* **events** — every registered event source (the cross-check part's department lists; 急难型 临时救助 as
  ``sudden_hardship``) plus the events cadres reported by hand (:class:`ReportedEvent`), counted by the pure
  rule when in the window.

Recording (idempotent, one transaction, one audit row per run): each flagged household gets one
:class:`RiskFlag` for M. Re-running M creates the missing ones and updates a flag whose case nobody has
acted on yet (still at 识别); a flag whose case has moved on is kept as it was. A flag is never withdrawn by
a re-run (a household that is no longer flagged keeps its row; a cadre closes the case with 不纳入监测).
A flagged household without an active case gets one (识别, due 15 days after the flag); one with an
active case gets no second one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.core.exceptions import PermissionDenied
from django.db import transaction

from jingzhun.core import monitoring_sources, workday
from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.models import Role
from jingzhun.monitoring.models.cases import (
    ACTIVE_STATES,
    Case,
    CaseOrigin,
    CaseState,
    CaseStep,
    CaseStepName,
    MonitoringRun,
    ReportedEvent,
    RiskFlag,
)
from jingzhun.policy.exit_check import exit_rules
from jingzhun.policy.monitoring import MonitoringRules, assess_household, monitoring_rules
from jingzhun.policy.monitoring_input import CHECKS, Event, MonitoredHousehold
from jingzhun.policy.params import MissingParameter, load_parameters
from jingzhun.registry.custody import CustodyTerm, serving_on
from jingzhun.registry.models import (
    EXITED_STATUSES,
    NOT_EXITED_STATUSES,
    Household,
    IncomeRecord,
    Person,
    PersonStatus,
)

Progress = Callable[[str, int, int], None]
REGISTERED_STATUSES = NOT_EXITED_STATUSES
RUN_ROLES = frozenset({Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER, Role.ADMIN})
DUE_DAYS = 15
_INCOME_SUM = pl.col("wages_fen") + pl.col("farming_fen") + pl.col("business_fen") + pl.col("property_fen")


@dataclass
class RunResult:
    month: dt.date
    assessed: int = 0
    flagged: int = 0
    flags_new: int = 0
    flags_updated: int = 0
    flags_kept: int = 0
    cases_opened: int = 0
    levels: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "month": f"{self.month:%Y-%m}",
            "assessed": self.assessed,
            "flagged": self.flagged,
            "levels": dict(sorted(self.levels.items())),
            "flags_new": self.flags_new,
            "flags_updated": self.flags_updated,
            "flags_kept": self.flags_kept,
            "cases_opened": self.cases_opened,
        }

    @property
    def message(self) -> str:
        return (
            f"{self.month:%Y-%m} 返贫预警：评估 {self.assessed} 户，预警 {self.flagged} 户"
            f"（新增 {self.flags_new}，更新 {self.flags_updated}，已处理未改动 {self.flags_kept}），"
            f"新开案件 {self.cases_opened} 件。"
        )


def _frame(rows: list[tuple[Any, ...]], schema: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema, orient="row")


_WATER_VALUES = (
    "water_litres_per_day",
    "water_fetch_minutes",
    "water_days_without",
    "water_quality_ok",
    "water_dry_area",
)


def _households(prefix: str, year: int) -> pl.DataFrame:
    values = Household.objects.filter(active=True, village__code__startswith=prefix).values_list(
        "id", "village__code", "status", "marginal", "housing_grade", "relocated_keys", "water_safe", *_WATER_VALUES
    )
    # litres (a Decimal of two places) as whole centilitres, compared exactly like the exit check's
    rows = [(*row[:7], None if row[7] is None else int(row[7] * 100), *row[8:]) for row in values]
    h = _frame(
        rows,
        {
            "household_id": pl.Int64,
            "village": pl.Utf8,
            "status": pl.Utf8,
            "marginal": pl.Boolean,
            "grade": pl.Utf8,
            "relocated": pl.Boolean,
            "water_safe": pl.Boolean,
            "centilitres": pl.Int64,
            "minutes": pl.Int64,
            "days": pl.Int64,
            "quality": pl.Boolean,
            "dry": pl.Boolean,
        },
    ).with_columns(pl.col("village").str.slice(0, 6).alias("county"))
    known = pl.all_horizontal(pl.col("centilitres", "minutes", "days", "quality", "dry").is_not_null())
    exit_water = (
        (pl.col("centilitres") >= pl.when(pl.col("dry")).then(pl.col("least_dry")).otherwise(pl.col("least_wet")))
        & (pl.col("minutes") <= pl.col("most_minutes"))
        & (pl.col("days") <= pl.col("most_days"))
        & pl.col("quality")
    )
    return h.join(_water_rules(h["county"].unique().to_list(), year), on="county", how="left").with_columns(
        pl.when(pl.col("status").is_in([str(s) for s in EXITED_STATUSES]))
        .then(pl.lit("exited"))
        .when(pl.col("status").is_in([str(s) for s in REGISTERED_STATUSES]))
        .then(pl.lit("registered"))
        .when(pl.col("marginal"))
        .then(pl.lit("marginal"))
        .otherwise(pl.lit("other"))
        .alias("category"),
        pl.when(pl.col("grade").is_in(["A", "B"]) | pl.col("relocated").fill_null(False))
        .then(True)
        .when(pl.col("grade").is_in(["C", "D"]))
        .then(False)
        .otherwise(None)
        .alias("housing"),
        pl.when(pl.col("least_wet").is_not_null() & known)
        .then(exit_water)
        .otherwise(pl.col("water_safe"))
        .alias("water"),
    )


def _water_rules(counties: list[str], year: int) -> pl.DataFrame:
    """Per county, the exit check's water thresholds of ``year`` (:func:`jingzhun.policy.exit_check.exit_rules`),
    null where water is not an exit criterion that year."""
    tree = load_parameters()
    rows = []
    for county in counties:
        try:
            water = exit_rules(tree, county, year).water
        except MissingParameter:
            water = None
        rows.append((county, *(water or (None, None, None, None))))
    schema = {"county": pl.Utf8, "least_wet": pl.Int64, "least_dry": pl.Int64, "most_minutes": pl.Int64}
    return _frame(rows, {**schema, "most_days": pl.Int64})


def _serving(prefix: str, first: dt.date) -> pl.Series:
    """The region's persons serving a sentence on ``first`` (:mod:`jingzhun.registry.custody`): one query."""
    terms = CustodyTerm.objects.filter(serving_on(first), person__household__village__code__startswith=prefix)
    return pl.Series("person_id", list(terms.values_list("person_id", flat=True).distinct()), dtype=pl.Int64)


def _members(prefix: str, first: dt.date, serving: pl.Series) -> pl.DataFrame:
    rows = list(
        Person.objects.filter(
            status=PersonStatus.ACTIVE, household__active=True, household__village__code__startswith=prefix
        ).values_list(
            "id",
            "household_id",
            "birth_date",
            "labour",
            "student",
            "dropout",
            "school_exempt_health",
            "medical_insurance",
        )
    )
    p = _frame(
        rows,
        {
            "person_id": pl.Int64,
            "household_id": pl.Int64,
            "birth_date": pl.Date,
            "labour": pl.Utf8,
            "student": pl.Utf8,
            "dropout": pl.Boolean,
            "exempt": pl.Boolean,
            "insured": pl.Boolean,
        },
    ).filter(~pl.col("person_id").is_in(serving.implode()))
    # school age as the exit check counts it: completed years on 1 September (a birthday that day counts as
    # reached) — of the school year M is in, i.e. the last 1 September on or before the 1st of M. Month and
    # day are Int8 in Polars: widened before × 100 (9 × 100 + 2 wraps to -122 in Int8)
    school_year = first.year if first.month >= 9 else first.year - 1
    born = pl.col("birth_date")
    month_day = born.dt.month().cast(pl.Int32) * 100 + born.dt.day().cast(pl.Int32)
    age = pl.lit(school_year, pl.Int32) - born.dt.year() - (month_day > 901).cast(pl.Int32)
    return p.group_by("household_id").agg(
        pl.len().alias("size"),
        pl.col("labour").is_in(["full", "partial"]).any().alias("labour_capacity"),
        (~((age >= 6) & (age <= 15) & ((pl.col("student") == "none") | pl.col("dropout")) & ~pl.col("exempt")))
        .all()
        .alias("schooling"),
        pl.col("insured").all().alias("medical"),
    )


def _incomes(prefix: str, first: dt.date, serving: pl.Series) -> pl.DataFrame:
    year = first.year
    rows = list(
        IncomeRecord.objects.filter(
            year__lte=year,
            person__status=PersonStatus.ACTIVE,
            person__household__active=True,
            person__household__village__code__startswith=prefix,
        ).values_list(
            "person__household_id",
            "person_id",
            "year",
            "wages_fen",
            "farming_fen",
            "business_fen",
            "property_fen",
            "transfer_fen",
        )
    )
    inc = _frame(
        rows,
        {
            "household_id": pl.Int64,
            "person_id": pl.Int64,
            "year": pl.Int64,
            "wages_fen": pl.Int64,
            "farming_fen": pl.Int64,
            "business_fen": pl.Int64,
            "property_fen": pl.Int64,
            "transfer_fen": pl.Int64,
        },
    ).filter(~pl.col("person_id").is_in(serving.implode()))
    inc = inc.with_columns((_INCOME_SUM + pl.col("transfer_fen")).alias("total"))

    def latest(upto: int, name: str) -> pl.DataFrame:
        return (
            inc.filter(pl.col("year") <= upto)
            .sort("year")
            .group_by("person_id")
            .agg(pl.col("household_id").last(), pl.col("total").last())
            .group_by("household_id")
            .agg(pl.col("total").sum().alias(name))
        )

    prev, this = latest(year - 1, "income_prev_year"), latest(year, "income_this_year")
    m = first.month
    return (
        prev.join(this, on="household_id", how="full", coalesce=True)
        .fill_null(0)
        .with_columns(
            ((pl.col("income_prev_year") * (13 - m) + pl.col("income_this_year") * (m - 1)) // 12).alias("income_12m")
        )
        .select("household_id", "income_12m", "income_prev_year")
    )


def _costs(prefix: str, start: dt.date, end: dt.date) -> pl.DataFrame:
    frames = [
        fn(prefix, start, end).select(
            pl.col("household_id").cast(pl.Int64),
            pl.col("rigid_costs_fen").cast(pl.Int64),
            pl.col("hospital_oop_fen").cast(pl.Int64),
        )
        for fn in monitoring_sources.cost_sources().values()
    ]
    empty = pl.DataFrame(schema={"household_id": pl.Int64, "rigid_costs_fen": pl.Int64, "hospital_oop_fen": pl.Int64})
    return pl.concat([empty, *frames]).group_by("household_id").agg(pl.all().sum())


def reported_events(prefix: str, start: dt.date, end: dt.date) -> pl.DataFrame:
    """The cadres' reported events (a source like the others; registered in ``cases.hooks``)."""
    rows = list(
        ReportedEvent.objects.filter(
            date__gte=start, date__lt=end, household__village__code__startswith=prefix
        ).values_list("household_id", "kind", "date")
    )
    return _frame(rows, {"household_id": pl.Int64, "kind": pl.Utf8, "date": pl.Date})


def _events(prefix: str, start: dt.date, end: dt.date) -> dict[int, tuple[Event, ...]]:
    frames = [
        fn(prefix, start, end).select(
            pl.col("household_id").cast(pl.Int64), pl.col("kind").cast(pl.Utf8), pl.col("date").cast(pl.Date)
        )
        for fn in monitoring_sources.event_sources().values()
    ]
    empty = pl.DataFrame(schema={"household_id": pl.Int64, "kind": pl.Utf8, "date": pl.Date})
    events = pl.concat([empty, *frames]).unique().sort("household_id", "date", "kind")
    out: dict[int, list[Event]] = {}
    for hid, kind, date in events.iter_rows():
        out.setdefault(hid, []).append(Event(kind, date))
    return {k: tuple(v) for k, v in out.items()}


def build_documents(prefix: str, month: dt.date, rules: MonitoringRules) -> list[MonitoredHousehold]:
    """Every active household of the region as a monitoring document (all categories, for comparison with
    the pure ``monitor assess``; :func:`run_assessment` assesses the same list)."""
    first = month.replace(day=1)
    start, end = rules.window_start, rules.month
    serving = _serving(prefix, first)
    h = (
        _households(prefix, first.year)
        .join(_members(prefix, first, serving), on="household_id", how="left")
        .join(_incomes(prefix, first, serving), on="household_id", how="left")
        .join(_costs(prefix, start, end), on="household_id", how="left")
        .with_columns(
            pl.col("size").fill_null(0),
            pl.col("labour_capacity").fill_null(False),
            pl.col("income_12m", "income_prev_year", "rigid_costs_fen", "hospital_oop_fen").fill_null(0),
        )
        .filter(pl.col("size") > 0)
        .sort("household_id")
    )
    events = _events(prefix, start, end)
    docs: list[MonitoredHousehold] = []
    cols = ("household_id", "category", "size", "income_12m", "income_prev_year", "rigid_costs_fen")
    cols += ("hospital_oop_fen", "labour_capacity", *CHECKS)
    for row in h.select(*cols).iter_rows():
        hid, category, size, inc, prev, rigid, oop, labour, *checks = row
        docs.append(
            MonitoredHousehold(
                id=str(hid),
                category=category,
                size=size,
                income_12m_fen=inc,
                income_prev_year_fen=prev,
                rigid_costs_12m_fen=rigid,
                hospital_oop_12m_fen=oop,
                labour_capacity=labour,
                checks=tuple((c, v) for c, v in zip(CHECKS, checks, strict=True) if v is not None),
                events=events.get(hid, ()),
            )
        )
    return docs


def as_document(docs: list[MonitoredHousehold]) -> dict[str, Any]:
    """The households in the pure command's document format (POLICY.md §8), money as decimal strings."""

    from jingzhun.policy.money import fen_to_str as yuan

    return {
        "households": [
            {
                "id": d.id,
                "category": d.category,
                "size": d.size,
                "income_12m": yuan(d.income_12m_fen),
                "income_prev_year": yuan(d.income_prev_year_fen),
                "rigid_costs_12m": yuan(d.rigid_costs_12m_fen),
                "hospital_oop_12m": yuan(d.hospital_oop_12m_fen),
                "labour_capacity": d.labour_capacity,
                "checks": dict(d.checks),
                "events": [{"kind": e.kind, "date": e.date.isoformat()} for e in d.events],
            }
            for d in docs
        ]
    }


def run_assessment(
    month: dt.date,
    *,
    actor: Actor,
    region_prefix: str = "",
    on: dt.date | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Assess every household of the region for ``month`` and record flags and cases (see the module
    docstring). ``on`` is the day the flags are raised (default today, 北京时间)."""
    check_region(actor, region_prefix or "")
    if actor.role not in RUN_ROLES:
        raise PermissionDenied("只有县级或乡镇工作人员可以运行返贫预警评估。")
    report = progress or (lambda stage, done, total: None)
    first = month.replace(day=1)
    today = on or workday.today()
    rules = monitoring_rules(load_parameters(), first)  # MissingParameter before 2020-01: 无参数
    report("读取户籍、收入、支出和风险事件", 0, 1)
    docs = build_documents(region_prefix, first, rules)
    report("评估", 0, len(docs))
    flagged: dict[int, Any] = {}
    for i, d in enumerate(docs):
        a = assess_household(d, rules)
        if a.flags:
            flagged[int(d.id)] = a
        if i % 5000 == 0:
            report("评估", i, len(docs))
    result = RunResult(first, assessed=len(docs), flagged=len(flagged))
    for a in flagged.values():
        result.levels[a.level] = result.levels.get(a.level, 0) + 1
    report("记录预警和案件", 0, len(flagged))
    with transaction.atomic():
        run = MonitoringRun.objects.create(month=first, region_prefix=region_prefix, actor_label=actor.label)
        existing = {
            f.household_id: f
            for f in RiskFlag.objects.filter(month=first, household__village__code__startswith=region_prefix)
        }
        acted = set(
            Case.objects.filter(first_flag__month=first, first_flag__household__village__code__startswith=region_prefix)
            .exclude(state=CaseState.IDENTIFIED)
            .values_list("first_flag_id", flat=True)
        )
        new: list[RiskFlag] = []
        changed: list[RiskFlag] = []
        for hid, a in flagged.items():
            d = a.household
            values = {
                "category": d.category,
                "flags": list(a.flags),
                "level": a.level,
                "size": d.size,
                "income_12m_fen": d.income_12m_fen,
                "labour_capacity": d.labour_capacity,
                "checks": dict(d.checks),
            }
            old = existing.get(hid)
            if old is None:
                new.append(RiskFlag(household_id=hid, month=first, raised_on=today, run=run, **values))
            elif old.pk in acted:
                result.flags_kept += 1
            elif any(getattr(old, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(old, k, v)
                old.run = run
                changed.append(old)
        RiskFlag.objects.bulk_create(new, batch_size=2000)
        RiskFlag.objects.bulk_update(changed, [*values_keys(), "run"], batch_size=2000)
        result.flags_new, result.flags_updated = len(new), len(changed)
        # Cases follow the flag of a household whose case is still at 识别 (nobody has acted on it).
        for f in changed:
            Case.objects.filter(first_flag=f, state=CaseState.IDENTIFIED).update(flags=f.flags, level=f.level)
        busy = set(
            Case.objects.filter(household_id__in=list(flagged), state__in=[s.value for s in ACTIVE_STATES]).values_list(
                "household_id", flat=True
            )
        )
        month_flags = {f.household_id: f for f in RiskFlag.objects.filter(month=first, household_id__in=list(flagged))}
        cases = [
            Case(
                household_id=hid,
                origin=CaseOrigin.ASSESSMENT,
                first_flag=month_flags[hid],
                flags=month_flags[hid].flags,
                level=month_flags[hid].level,
                first_flag_on=month_flags[hid].raised_on,
                due_on=month_flags[hid].raised_on + dt.timedelta(days=DUE_DAYS),
                opened_by_label=actor.label,
            )
            for hid in sorted(flagged)
            if hid not in busy
        ]
        Case.objects.bulk_create(cases, batch_size=2000)
        CaseStep.objects.bulk_create(
            [
                CaseStep(
                    case_id=c.pk,
                    step=CaseStepName.IDENTIFY,
                    on=c.first_flag_on,
                    actor_label=actor.label,
                    data={"month": f"{first:%Y-%m}", "flags": c.flags, "level": c.level},
                )
                for c in cases
            ],
            batch_size=2000,
        )
        result.cases_opened = len(cases)
        for k, v in result.as_dict().items():
            if hasattr(run, k) and k != "month":
                setattr(run, k, v)
        run.save()
        record_audit(
            actor,
            "monitoring.run_assessment",
            object_type="monitoring.MonitoringRun",
            object_id=run.pk,
            region_code=region_prefix,
            after=result.as_dict(),
        )
    report("完成", 1, 1)
    return result


def values_keys() -> list[str]:
    return ["category", "flags", "level", "size", "income_12m_fen", "labour_capacity", "checks"]
