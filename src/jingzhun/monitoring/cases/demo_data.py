"""`make demo`'s 返贫预警 step: assess the demo month over the demo county and take the cases along as a
county would have by the demo's working day, so the pages show a plausible month's work.

Each township ran the month's assessment on its own day (a township may run its own, RUN_ROLES), in three
cohorts counted back from the working day ``T`` (core.workday):

* **T−28** (due T−13): most cases went the whole way on time — 入户核实, 民主评议 + 公示, 乡镇审核 after 5
  days, county decision on day 12: 认定返贫 for half of the exited households below the poverty line,
  纳入监测 while the county stays under 90 % of the 2020 监测规模 limit, else 不纳入监测 (the case closes);
  a 帮扶措施 on each decided case, every other one 就业帮扶 (务工, about 3 000 元 a month, recorded as the
  household's 2020 wages; not for a 低保/特困 household, whose paid month the wages would change) followed
  by 风险消除 where POLICY.md's conditions hold. One in eight is stuck
  before the 公示 and one in eight waits for the county: overdue, in red.
* **T−12** (due T+3), the login township's: some at every open step — 识别, 入户核实, in 公示 since T−9 (the
  township may review now), 乡镇已审核 waiting for the county.
* **T−5** (due T+10): 识别, 入户核实, in 公示 since T−3 (the township review from T+2).

Steps are taken by the demo system actor through the same actions as the pages. The summary ends with
the 2020 监测规模 after the walk (the synth's 监测对象 marks plus the cases decided 纳入监测 here)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from fractions import Fraction
from typing import Any

from jingzhun.core import monitoring_sources, workday
from jingzhun.core.actions import Actor
from jingzhun.monitoring.cases import actions
from jingzhun.monitoring.cases.assess import RunResult, run_assessment
from jingzhun.monitoring.cases.queries import share_warning
from jingzhun.monitoring.models.cases import Case, CaseDecision, CaseState, MeasureKind
from jingzhun.policy.monitoring import monitoring_rules
from jingzhun.policy.params import load_parameters
from jingzhun.registry.models import Household, Person, PersonStatus, Region

EARLY, MIDDLE, LATE = 28, 12, 5  # days before the working day a cohort's flags were raised
SHARE_MARGIN = Fraction(9, 10)  # the county keeps 纳入监测 to 90 % of the 2020 limit
WORK_FEN = 3_000 * 12 * 100  # 就业帮扶: a member placed in 务工 at about 3 000 元 a month (demo figure)
NOTE = "（演示数据）"


def add_demo_cases(actor: Actor, month: str, county: str, *, login_township: str = "") -> str:
    """Run the month's assessment township by township and walk the cases; one line for the console."""
    today = workday.today()
    first = dt.date.fromisoformat(f"{month}-01")
    townships = list(
        Region.objects.filter(level="township", code__startswith=county[:6])
        .order_by("code")
        .values_list("code", flat=True)
    )
    cohorts = [EARLY, MIDDLE, LATE]
    total = RunResult(first)
    walked: Counter[str] = Counter()
    budget = _budget(county, first)
    rules = monitoring_rules(load_parameters(), first)
    for i, code in enumerate(townships):
        back = MIDDLE if code == login_township else cohorts[i % 3]
        start = today - dt.timedelta(days=back)
        result = run_assessment(first, actor=actor, region_prefix=code[:9], on=start)
        for key in ("assessed", "flagged", "cases_opened"):
            setattr(total, key, getattr(total, key) + getattr(result, key))
        cases = list(
            Case.objects.filter(
                first_flag_on=start, state=CaseState.IDENTIFIED, household__village__code__startswith=code[:9]
            ).order_by("id")
        )
        for n, case in enumerate(cases):
            if back == EARLY:
                budget = _walk_early(actor, case, n, start, today, budget, walked, rules.poverty_line_fen)
            else:
                _walk_open(actor, case, n, start, back == MIDDLE)
    for state in Case.objects.filter(household__village__code__startswith=county).values_list("state", flat=True):
        walked[state] += 1
    share = share_warning(county, first)
    states = "，".join(f"{label} {walked[value]} 件" for value, label in CaseState.choices if walked[value])
    return (
        f"{month} 返贫预警：{len(townships)} 个乡镇各自评估 {total.assessed} 户，预警 {total.flagged} 户，"
        f"开案 {total.cases_opened} 件（首次预警分别在 {EARLY}、{MIDDLE}、{LATE} 天前）。演示推进后：{states}；"
        f"其中超期未认定 {walked['overdue']} 件，务工增收后风险消除 {walked['eliminated_by_work']} 户。"
        f"监测规模：{share.message}"
    )


def _budget(county: str, month: dt.date) -> int:
    """Persons the county may still mark 监测对象 and stay under ``SHARE_MARGIN`` of the 2020 limit."""
    share = share_warning(county, month)
    if share.limit is None:
        return 10**9
    return int(share.limit * SHARE_MARGIN * share.registered) - share.monitored


def _persons(household: Household) -> int:
    return Person.objects.filter(household=household, status=PersonStatus.ACTIVE).count()


def _walk_early(
    actor: Actor,
    case: Case,
    n: int,
    start: dt.date,
    today: dt.date,
    budget: int,
    walked: Counter[str],
    poverty_line_fen: int,
) -> int:
    """A case flagged 28 days ago: on time to a decision and a measure, or (1 in 4) stuck and overdue."""
    day = lambda k: start + dt.timedelta(days=k)  # noqa: E731
    actions.verify(actor, case, finding="入户核实：家庭情况与预警信息相符" + NOTE, on=day(2))
    if n % 8 == 3:  # the village has not held its 评议 yet: overdue
        walked["overdue"] += 1
        return budget
    actions.review_and_notice(actor, case, result="民主评议同意纳入监测，村内公示" + NOTE, on=day(3))
    actions.township_review(actor, case, opinion="乡镇审核同意" + NOTE, on=day(9))
    if n % 8 == 7:  # waiting for the county past its limit
        walked["overdue"] += 1
        return budget
    size = _persons(case.household)
    flag = case.first_flag
    below_poverty = flag is not None and flag.income_12m_fen < poverty_line_fen * max(flag.size, 1)
    if below_poverty and case.household.registered_year is not None and n % 2 == 1:
        decision, reason = CaseDecision.RETURNED, "已脱贫户近 12 个月人均纯收入低于贫困线，认定返贫"
    elif size <= budget:
        decision, reason = CaseDecision.MONITORED, "收入低于监测线，纳入监测"
        budget -= size
    else:
        decision, reason = CaseDecision.NOT_INCLUDED, "收入接近监测线、家中有劳动力，暂不纳入监测，由帮扶干部跟踪"
    actions.county_decision(actor, case, decision=decision, reason=reason + NOTE, on=day(12))
    if decision == CaseDecision.NOT_INCLUDED:
        return budget
    walked["decisions"] += 1
    if walked["decisions"] % 2 == 1 and not _supported(case.household_id, start.year):  # every other: 就业帮扶
        work = "就业帮扶：户主外出务工，月工资约 3 000 元"
        actions.add_measure(actor, case, kind=MeasureKind.JOB, description=work + NOTE, on=day(13))
        _work_wages(actor, case.household)
        eliminated_on = today - dt.timedelta(days=1)
        if not actions.elimination_blockers(case, eliminated_on):
            actions.eliminate(
                actor, case, reason="务工收入稳定，近 12 个月人均纯收入超过监测线" + NOTE, on=eliminated_on
            )
            walked["eliminated_by_work"] += 1
            if decision == CaseDecision.MONITORED:  # the 监测对象 mark is cleared: room for another
                budget += size
    else:
        actions.add_measure(
            actor, case, kind=MeasureKind.TEMPORARY_AID, description="临时救助" + NOTE, amount_fen=300_000, on=day(13)
        )
    return budget


def _walk_open(actor: Actor, case: Case, n: int, start: dt.date, middle: bool) -> None:
    """A case flagged 12 or 5 days ago: left at 识别, 入户核实, in 公示 or (12 days) 乡镇已审核."""
    step = n % (4 if middle else 3)
    if step == 0:
        return
    actions.verify(actor, case, finding="入户核实：家庭情况与预警信息相符" + NOTE, on=start + dt.timedelta(days=1))
    if step == 1:
        return
    actions.review_and_notice(
        actor,
        case,
        result="民主评议同意纳入监测，村内公示" + NOTE,
        on=start + dt.timedelta(days=2 if not middle else 3),
    )
    if step == 3:
        actions.township_review(actor, case, opinion="乡镇审核同意" + NOTE, on=start + dt.timedelta(days=9))


def _supported(household_id: int, year: int) -> bool:
    """低保 or 特困 in the year (assistance says so through ``core.monitoring_sources``): their amounts follow
    the registry's income, so the demo's 务工 wages would change the month the demo has already paid."""
    span = (dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
    return any(household_id in fn([household_id], *span) for fn in monitoring_sources.guarantee_sources().values())


def _work_wages(actor: Actor, household: Household) -> None:
    """The members' 2020 income: their latest figures, the head with a year's 务工 wages added."""
    from jingzhun.registry.actions import INCOME_FIELDS, set_household_incomes

    fen_by_person: dict[Any, dict[str, int]] = {}
    for person in household.persons.filter(status=PersonStatus.ACTIVE).prefetch_related("incomes"):
        latest = max(person.incomes.all(), key=lambda r: r.year, default=None)
        fen = {k: getattr(latest, k) if latest else 0 for k in INCOME_FIELDS}
        if person.relation == "head":
            fen["wages_fen"] += WORK_FEN
        fen_by_person[person] = fen
    set_household_incomes(actor, 2020, fen_by_person)
