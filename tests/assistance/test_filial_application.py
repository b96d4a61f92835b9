"""孝亲敬老奖励 applied for and approved like any program, paid by the October run, shown on 一码清.

The family is one-off (``ROLL_FAMILIES`` does not hold it): each year's approval opens an enrollment for
one month, the 享受起始月份 — the Double Ninth's month, October — which the county picks when it decides
in September or October.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.assistance.filial_actions import record_support_payment
from jingzhun.assistance.models import Enrollment
from jingzhun.core.actions import Actor
from jingzhun.ledger.models import PaymentLine
from jingzhun.ledger.runs import run_month
from jingzhun.ledger.statements import build_statement
from jingzhun.public.actions import issue_token
from tests.assistance.test_filial_late import approve, support

pytestmark = pytest.mark.django_db


def approve_for_october(personas: dict[str, Any], household: Any) -> Any:
    return approve(personas, household, decided_on=dt.date(2020, 9, 18))


def test_an_approved_application_is_paid_in_october_and_shown_in_public(
    world: dict[str, Any], personas: dict[str, Any], login: Any, client: Any
) -> None:
    household = world["own"]  # 刘保平, 80 in October 2020
    support(personas, household)  # 2400 元 in the 2020 assessment year
    approve_for_october(personas, household)
    enrollment = Enrollment.objects.get(household=household, family="filial_reward")
    assert (enrollment.start_month, enrollment.end_month) == (dt.date(2020, 10, 1), dt.date(2020, 10, 1))
    system = Actor.system("test")
    for month in ("2020-09", "2020-10", "2020-11"):
        run_month(month, actor=system)
    assert run_month("2020-10", actor=system).kind == "noop"
    # 800 + 900 + 700 = 2400 → floor(2400 / 1000) = 2 × 200 = 400 元 (the cap)
    paid = PaymentLine.objects.filter(program="filial_reward").values_list("household_id", "month", "amount_fen")
    assert list(paid) == [(household.pk, dt.date(2020, 10, 1), 40_000)]
    (entry,) = [e for e in build_statement(household).entries if e.program == "filial_reward"]
    # the statement explains the line from the run's frozen inputs (the snapshot's support records)
    assert "按当时输入重算应发 400.00 元" in entry.reason and "满档数：2" in entry.reason
    page = login("victor").get(f"/households/{household.pk}/?month=2020-10").content.decode()
    assert "已获批（享受月份 2020-10）" in page
    # the 待遇测算 panel of October explains the line from the same records as the run
    assert "孝亲敬老奖励 = min(2 × 200" in page and "缺少计算说明" not in page
    client.logout()
    public = client.get(f"/q/{issue_token(system, household).token}/").content.decode()
    assert "孝亲敬老奖励" in public and "400.00" in public


def test_support_after_the_approved_october_waits_for_the_next_year(
    world: dict[str, Any], personas: dict[str, Any]
) -> None:
    household = world["own"]
    victor = Actor.for_user(personas["victor"])
    record_support_payment(
        victor, household, parent=household.persons.get(relation="head"), payer_name="刘建军",
        payer_relation="son", paid_on=dt.date(2020, 10, 26), amount_fen=300_000,
        period_from=dt.date(2020, 10, 1), period_to=dt.date(2020, 12, 31),
    )  # fmt: skip
    approve_for_october(personas, household)
    run_month("2020-10", actor=Actor.system("test"))
    assert not PaymentLine.objects.filter(program="filial_reward").exists()
