"""Case steps: order, dates, 公示 ≥ 5 days, role × region per step, 返贫 through the registry, 风险消除's
conditions, due/overdue, cases opened by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

pytestmark = pytest.mark.django_db
JUNE = dt.date(2020, 6, 1)
D = dt.date


@pytest.fixture
def case(household: Any) -> Any:
    """A case from the June 2020 run for an exited household of 信义村 with 5 000 a year for 2 persons."""
    from jingzhun.core.actions import Actor
    from jingzhun.monitoring.cases.assess import run_assessment
    from jingzhun.monitoring.models.cases import Case

    h = household("v11", members=[{}, {}], incomes={2019: 500_000})
    run_assessment(JUNE, actor=Actor.system("test"), region_prefix="141102", on=D(2020, 6, 2))
    return Case.objects.get(household=h)


def _walk(case: Any, personas: Any, actor: Any, upto: str) -> Any:
    from jingzhun.monitoring.cases import actions

    steps = [
        ("verify", lambda: actions.verify(actor(personas["victor"]), case, finding="属实", on=D(2020, 6, 3))),
        ("review", lambda: actions.review_and_notice(actor(personas["victor"]), case, result="同意", on=D(2020, 6, 4))),
        ("township", lambda: actions.township_review(actor(personas["tom"]), case, opinion="同意", on=D(2020, 6, 9))),
        (
            "decision",
            lambda: actions.county_decision(
                actor(personas["alice"]), case, decision="monitored", reason="纳入", on=D(2020, 6, 10)
            ),
        ),
    ]
    for name, step in steps:
        step()
        if name == upto:
            break
    case.refresh_from_db()
    return case


def test_the_whole_path_audited(case: Any, personas: Any, actor: Any) -> None:
    from jingzhun.core.models import AuditEvent

    assert not case.household.monitored  # a flag at 识别 is a candidate, not yet a 监测对象
    c = _walk(case, personas, actor, "decision")
    assert (c.state, c.decision, c.decided_on) == ("decided", "monitored", D(2020, 6, 10))
    c.household.refresh_from_db()
    assert c.household.monitored and c.household.status == "exited_supported"  # a mark, not a 户状态
    assert AuditEvent.objects.get(action="registry.set_monitored").after["monitored"] is True
    assert list(c.steps.values_list("step", flat=True)) == [
        "identify",
        "verify",
        "review_notice",
        "township_review",
        "county_decision",
    ]
    actions = set(AuditEvent.objects.filter(object_type="monitoring.Case").values_list("action", flat=True))
    assert actions == {
        "monitoring.case_verify",
        "monitoring.case_review_notice",
        "monitoring.case_township_review",
        "monitoring.case_county_decision",
    }


def test_notice_runs_five_days_before_township(case: Any, personas: Any, actor: Any) -> None:
    from jingzhun.monitoring.cases import actions

    c = _walk(case, personas, actor, "review")
    with pytest.raises(ValidationError, match="2020-06-09 起方可乡镇审核"):
        actions.township_review(actor(personas["tom"]), c, opinion="同意", on=D(2020, 6, 8))
    actions.township_review(actor(personas["tom"]), c, opinion="同意", on=D(2020, 6, 9))


def test_steps_keep_their_order_and_dates(case: Any, personas: Any, actor: Any) -> None:
    from jingzhun.monitoring.cases import actions

    with pytest.raises(ValidationError, match="此环节只能在"):
        actions.township_review(actor(personas["tom"]), case, opinion="跳过", on=D(2020, 6, 9))
    with pytest.raises(ValidationError, match="早于上一环节"):
        actions.verify(actor(personas["victor"]), case, finding="属实", on=D(2020, 6, 1))
    with pytest.raises(ValidationError, match="晚于今天"):
        actions.verify(actor(personas["victor"]), case, finding="属实", on=dt.date.today() + dt.timedelta(days=2))


@pytest.mark.parametrize(
    ("step", "refused", "allowed"),
    [
        ("verify", ["zoe", "audrey", "alice"], "carl"),
        ("review", ["tom", "carl", "audrey", "zoe"], "victor"),
        ("township", ["victor", "alice", "audrey"], "tom"),
        ("decision", ["tom", "victor", "zoe", "audrey"], "alice"),
    ],
)
def test_role_and_region_per_step(
    case: Any, personas: Any, actor: Any, step: str, refused: list[str], allowed: str
) -> None:
    """Each step only by its role in the household's region: another county's officer (zoe), the
    auditor (audrey, read-only) and the wrong role are refused; nothing is written when refused."""
    from jingzhun.monitoring.cases import actions
    from jingzhun.monitoring.models.cases import CaseStep

    before = {"verify": None, "review": "verify", "township": "review", "decision": "township"}[step]
    c = _walk(case, personas, actor, before) if before else case
    run = {
        "verify": lambda a: actions.verify(a, c, finding="属实", on=D(2020, 6, 3)),
        "review": lambda a: actions.review_and_notice(a, c, result="同意", on=D(2020, 6, 4)),
        "township": lambda a: actions.township_review(a, c, opinion="同意", on=D(2020, 6, 9)),
        "decision": lambda a: actions.county_decision(a, c, decision="monitored", reason="纳入", on=D(2020, 6, 10)),
    }[step]
    steps = CaseStep.objects.count()
    for name in refused:
        with pytest.raises(PermissionDenied):
            run(actor(personas[name]))
    assert CaseStep.objects.count() == steps
    run(actor(personas[allowed]))
    assert CaseStep.objects.count() == steps + 1


def test_township_of_another_township_is_refused(household: Any, personas: Any, actor: Any) -> None:
    """tom (信义镇) cannot verify a case of 吴城村 (吴城镇)."""
    from jingzhun.core.actions import Actor
    from jingzhun.monitoring.cases import actions
    from jingzhun.monitoring.cases.assess import run_assessment
    from jingzhun.monitoring.models.cases import Case

    h = household("v21", incomes={2019: 100_000})
    run_assessment(JUNE, actor=Actor.system("t"), region_prefix="141102", on=D(2020, 6, 2))
    with pytest.raises(PermissionDenied):
        actions.verify(actor(personas["tom"]), Case.objects.get(household=h), finding="x", on=D(2020, 6, 3))


def test_returned_sets_household_status_through_the_registry(case: Any, personas: Any, actor: Any) -> None:
    from jingzhun.core.models import AuditEvent
    from jingzhun.monitoring.cases import actions
    from jingzhun.registry.models import HouseholdStatusEvent

    c = _walk(case, personas, actor, "township")
    actions.county_decision(actor(personas["alice"]), c, decision="returned", reason="收入低于标准", on=D(2020, 6, 10))
    c.household.refresh_from_db()
    assert (c.household.status, c.household.status_date) == ("returned", D(2020, 6, 10))
    assert HouseholdStatusEvent.objects.filter(household=c.household, status="returned").exists()
    assert AuditEvent.objects.filter(action="registry.set_returned", object_id=str(c.household.pk)).exists()


def test_not_included_closes_the_case(case: Any, personas: Any, actor: Any) -> None:
    from jingzhun.monitoring.cases import actions

    c = _walk(case, personas, actor, "township")
    actions.county_decision(
        actor(personas["alice"]), c, decision="not_included", reason="核实无风险", on=D(2020, 6, 10)
    )
    c.refresh_from_db()
    assert (c.state, c.closed_on) == ("closed", D(2020, 6, 10))


def test_due_and_overdue(case: Any, personas: Any, actor: Any) -> None:
    from jingzhun.monitoring.cases.queries import is_overdue

    assert case.due_on == D(2020, 6, 17)  # 15 days after the first flag
    assert not is_overdue(case, D(2020, 6, 17))
    assert is_overdue(case, D(2020, 6, 18))
    c = _walk(case, personas, actor, "decision")
    assert not is_overdue(c, D(2020, 7, 1))  # decided: no longer counting


def test_measures_and_elimination_conditions(case: Any, personas: Any, actor: Any) -> None:
    from jingzhun.monitoring.cases import actions
    from jingzhun.registry.models import IncomeRecord, Person

    c = _walk(case, personas, actor, "decision")
    m = actions.add_measure(
        actor(personas["carl"]),
        c,
        kind="temporary_aid",
        description="临时救助 5000 元",
        amount_fen=500_000,
        on=D(2020, 6, 11),
    )
    assert m.amount_fen == 500_000
    with pytest.raises(PermissionDenied):
        actions.add_measure(actor(personas["audrey"]), c, kind="job", description="x", on=D(2020, 6, 11))
    # income still 2 500 a person: below the monitoring line — refused, with the reason
    with pytest.raises(ValidationError, match="低于监测线"):
        actions.eliminate(actor(personas["tom"]), c, reason="稳定", on=D(2020, 6, 20))
    # a public-welfare job: 20 000 a year from 2020 → 12 months to 2021-06 well above 6 000 × 2
    person = Person.objects.filter(household=c.household).first()
    IncomeRecord.objects.create(person=person, year=2020, wages_fen=2_000_000)
    IncomeRecord.objects.create(person=person, year=2021, wages_fen=2_000_000)
    # but nobody in the household can work: never eliminated, stays monitored
    Person.objects.filter(household=c.household).update(labour="none")
    with pytest.raises(ValidationError, match="无劳动能力"):
        actions.eliminate(actor(personas["tom"]), c, reason="稳定", on=D(2021, 6, 20))
    Person.objects.filter(household=c.household).update(labour="full")
    with pytest.raises(PermissionDenied):
        actions.eliminate(actor(personas["victor"]), c, reason="稳定", on=D(2021, 6, 20))
    c.household.refresh_from_db()
    assert c.household.monitored  # still a 监测对象 while refused
    actions.eliminate(actor(personas["tom"]), c, reason="务工收入稳定", on=D(2021, 6, 20))
    c.refresh_from_db()
    assert c.state == "eliminated"
    c.household.refresh_from_db()
    assert not c.household.monitored and c.household.status == "exited_supported"


def test_case_opened_by_hand(household: Any, personas: Any, actor: Any) -> None:
    from jingzhun.monitoring.cases import actions
    from jingzhun.monitoring.models.cases import ReportedEvent

    h = household("v11", incomes={2019: 5_000_000})
    c = actions.open_case(
        actor(personas["victor"]),
        h,
        origin="self_report",
        kind="severe_disability",
        date=D(2020, 5, 3),
        note="车祸致残",
        on=D(2020, 5, 5),
    )
    assert (c.flags, c.level, c.due_on, c.origin) == (["severe_disability"], "yellow", D(2020, 5, 20), "self_report")
    assert ReportedEvent.objects.filter(household=h, kind="severe_disability").count() == 1
    with pytest.raises(ValidationError, match="已有在办"):
        actions.open_case(
            actor(personas["victor"]), h, origin="cadre_check", kind="disaster", date=D(2020, 5, 3), note="x"
        )
    registered = household("v11", status="not_exited", incomes={2019: 100_000})
    with pytest.raises(ValidationError, match="不产生预警"):
        actions.open_case(
            actor(personas["victor"]),
            registered,
            origin="cadre_check",
            kind="disaster",
            date=D(2020, 5, 3),
            note="冰雹",
        )
    assert not ReportedEvent.objects.filter(household=registered).exists()  # refused: nothing written
    with pytest.raises(PermissionDenied):
        actions.open_case(
            actor(personas["zoe"]), h, origin="cadre_check", kind="disaster", date=D(2020, 5, 3), note="x"
        )


def test_marginal_category_is_set_by_an_audited_action(household: Any, personas: Any, actor: Any) -> None:
    from jingzhun.core.models import AuditEvent
    from jingzhun.registry.cases_actions import set_marginal

    h = household("v11", status=None)
    set_marginal(actor(personas["victor"]), h, True, reason="收入略高于标准")
    h.refresh_from_db()
    assert h.marginal
    assert AuditEvent.objects.filter(action="registry.set_marginal", object_id=str(h.pk)).count() == 1
    with pytest.raises(PermissionDenied):
        set_marginal(actor(personas["audrey"]), h, False, reason="x")
    with pytest.raises(PermissionDenied):
        set_marginal(actor(personas["zoe"]), h, False, reason="x")
    registered = household("v11")
    with pytest.raises(ValidationError, match="建档立卡户"):
        set_marginal(actor(personas["victor"]), registered, True, reason="x")


def test_cases_count_days_from_the_working_day(settings: Any, case: Any, personas: Any, actor: Any) -> None:
    """Cases count from core.workday, as every other workflow does: the demo works in 2020-07 and its cases were
    dated by the wall clock (公示 "2026-11-18" inside a 2020 demo, walk 7)."""
    from jingzhun.core import workday
    from jingzhun.monitoring.cases import actions
    from jingzhun.monitoring.cases.queries import is_overdue

    settings.WORKING_MONTH = "2020-06"
    assert (workday.today().year, workday.today().month) == (2020, 6)
    with pytest.raises(ValidationError, match="晚于今天"):
        actions.verify(actor(personas["victor"]), case, finding="属实", on=D(2020, 7, 1))
    settings.WORKING_MONTH = "2020-07"
    assert is_overdue(case)  # due 15 days after its first flag on 2020-06-02
    actions.verify(actor(personas["victor"]), case, finding="属实", on=D(2020, 7, 1))


def test_the_step_form_offers_the_working_day(settings: Any, login: Any, case: Any, personas: Any) -> None:
    from jingzhun.core import workday

    settings.WORKING_MONTH = "2020-07"
    html = login("victor").get(f"/monitoring/cases/{case.pk}/").content.decode()
    assert f'value="{workday.today():%Y-%m-%d}"' in html
