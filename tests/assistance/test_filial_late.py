"""孝亲敬老奖励 approved after October's run: the first run on or after the approval pays the year's reward
once (补发), as a line of its own month; a re-run of that month, a later month or a re-run of October adds
nothing. An on-time approval is still paid by October only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.assistance import actions
from jingzhun.assistance.filial_actions import record_support_payment
from jingzhun.core.actions import Actor
from jingzhun.ledger.models import PaymentLine
from jingzhun.ledger.runs import run_month
from jingzhun.ledger.statements import build_statement

pytestmark = pytest.mark.django_db


def support(personas: dict[str, Any], household: Any) -> None:
    """800 + 900 + 700 = 2400 元 of the 2020 assessment year → floor(2400 / 1000) = 2 × 200 = 400 元."""
    victor = Actor.for_user(personas["victor"])
    for yuan, day in ((800, dt.date(2020, 2, 1)), (900, dt.date(2020, 8, 1)), (700, dt.date(2020, 8, 20))):
        record_support_payment(
            victor, household, parent=household.persons.get(relation="head"), payer_name="刘建军",
            payer_relation="son", paid_on=day, amount_fen=yuan * 100, period_from=day, period_to=day,
        )  # fmt: skip


def approve(personas: dict[str, Any], household: Any, decided_on: dt.date) -> Any:
    """The whole workflow, applied in September; the county decides on ``decided_on`` for October."""
    victor, tom, alice = (Actor.for_user(personas[n]) for n in ("victor", "tom", "alice"))
    app = actions.create_application(victor, household, "filial_reward", on=dt.date(2020, 9, 1))
    app = actions.record_survey(
        victor, app, annual_income_fen=0, income_verified=True, assets_ok=True, surveyors=["王村", "李镇"],
        on=dt.date(2020, 9, 2),
    )  # fmt: skip
    app = actions.record_democratic_review(
        victor, app, held_on=dt.date(2020, 9, 3), attendees=21, votes_for=20, votes_against=0
    )
    app = actions.start_public_notice(victor, app, start=dt.date(2020, 9, 4))
    app = actions.finish_public_notice(victor, app, on=dt.date(2020, 9, 11))
    app = actions.township_review(tom, app, agree=True, opinion="赡养费凭据属实", on=dt.date(2020, 9, 14))
    return actions.county_decide(alice, app, approve=True, start_month=dt.date(2020, 10, 1), on=decided_on)


def filial_lines(household: Any) -> list[tuple[dt.date, int]]:
    return list(
        PaymentLine.objects.filter(program="filial_reward", household=household)
        .order_by("month", "pk")
        .values_list("month", "amount_fen")
    )


def test_approved_after_octobers_run_is_paid_once_by_the_november_run(
    world: dict[str, Any], personas: dict[str, Any], login: Any
) -> None:
    household = world["own"]  # 刘保平, 80 in October 2020
    system = Actor.system("test")
    support(personas, household)
    run_month("2020-09", actor=system)
    run_month("2020-10", actor=system)
    assert filial_lines(household) == []  # not approved yet: October pays nothing
    approve(personas, household, dt.date(2020, 11, 10))
    run_month("2020-11", actor=system)
    assert filial_lines(household) == [(dt.date(2020, 11, 1), 40_000)]
    line = PaymentLine.objects.get(program="filial_reward", household=household)
    assert "补发 2020 年重阳节孝亲敬老奖励 400.00 元" in line.reason and "2020-10-25" in line.reason
    assert run_month("2020-11", actor=system).kind == "noop"  # a re-run of November keeps it
    # the statement explains the line in its Double Ninth month, from the November run's frozen inputs
    (entry,) = [e for e in build_statement(household).entries if e.program == "filial_reward"]
    assert "补发 2020 年重阳节（2020-10）：按当时输入重算应发 400.00 元" in entry.reason and "满档数：2" in entry.reason
    # the household page's 待遇测算 of November shows the same line, explained
    page = login("victor").get(f"/households/{household.pk}/?month=2020-11").content.decode()
    assert "孝亲敬老奖励（补发 2020 年重阳节奖励）" in page and "缺少计算说明" not in page
    run_month("2020-12", actor=system)
    assert run_month("2020-10", actor=system).kind == "noop"  # a re-run of October does not pay it again
    run_month("2021-01", actor=system)
    assert filial_lines(household) == [(dt.date(2020, 11, 1), 40_000)]


def test_a_rerun_of_october_after_the_approval_pays_it_there_and_november_adds_nothing(
    world: dict[str, Any], personas: dict[str, Any]
) -> None:
    household = world["own"]
    system = Actor.system("test")
    support(personas, household)
    run_month("2020-10", actor=system)
    approve(personas, household, dt.date(2020, 11, 2))
    run_month("2020-10", actor=system)  # the county re-runs October first: October's own line
    run_month("2020-11", actor=system)
    run_month("2020-12", actor=system)
    assert filial_lines(household) == [(dt.date(2020, 10, 1), 40_000)]


def test_an_on_time_approval_is_still_paid_in_october_only(world: dict[str, Any], personas: dict[str, Any]) -> None:
    household = world["own"]
    system = Actor.system("test")
    support(personas, household)
    approve(personas, household, dt.date(2020, 9, 18))
    for month in ("2020-09", "2020-10", "2020-11", "2020-12"):
        run_month(month, actor=system)
    assert filial_lines(household) == [(dt.date(2020, 10, 1), 40_000)]
    line = PaymentLine.objects.get(program="filial_reward", household=household)
    assert "补发" not in line.reason


def test_no_late_payment_when_october_has_not_run(world: dict[str, Any], personas: dict[str, Any]) -> None:
    """Without an October run for the household there is nothing to make up: October's run pays it."""
    household = world["own"]
    system = Actor.system("test")
    support(personas, household)
    approve(personas, household, dt.date(2020, 9, 18))
    from jingzhun.ledger.inputs import late_filial

    assert late_filial(dt.date(2020, 11, 1), "") == []
    run_month("2020-10", actor=system)
    assert late_filial(dt.date(2020, 11, 1), "") == []  # paid on time: nothing late


def test_never_approved_is_never_paid_late(world: dict[str, Any], personas: dict[str, Any]) -> None:
    household = world["own"]
    system = Actor.system("test")
    support(personas, household)
    for month in ("2020-10", "2020-11", "2020-12"):
        run_month(month, actor=system)
    assert filial_lines(household) == []
