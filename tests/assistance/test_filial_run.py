"""孝亲敬老奖励 through the month run: the records become the engine's support_payments, paid once in October."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.assistance.filial import assessment_year, reward_fen, support_documents
from jingzhun.assistance.filial_actions import record_support_payment
from jingzhun.ledger.models import PaymentLine
from jingzhun.ledger.runs import run_month
from tests.ledger.factories import enrol, make_household

pytestmark = pytest.mark.django_db


def pay(actor: Any, household: Any, parent: Any, yuan: int, day: dt.date) -> Any:
    return record_support_payment(
        actor,
        household,
        parent=parent,
        payer_name="王建国",
        payer_relation="son",
        paid_on=day,
        amount_fen=yuan * 100,
        period_from=day.replace(day=1),
        period_to=day,
    )


@pytest.fixture
def system() -> Any:
    from jingzhun.core.actions import Actor

    return Actor.system("test")


@pytest.fixture
def elders(regions: dict[str, Any], system: Any) -> Any:
    """A 离石 household of two parents (72 and 68 in October 2020), neither on 低保."""
    household = make_household(
        regions["v11"], "FIL1", families=(), income_fen=5_000_000,
        members=[{"birth_date": dt.date(1948, 3, 1)}, {"birth_date": dt.date(1952, 5, 9), "sex": "F"}],
    )  # fmt: skip
    father, mother = household.persons.order_by("pk")
    return household, father, mother


def test_a_payment_counts_for_the_first_double_ninth_on_or_after_it() -> None:
    assert assessment_year(dt.date(2020, 10, 25)) == 2020  # 重阳节 2020 is 10-25
    assert assessment_year(dt.date(2020, 10, 26)) == 2021
    assert assessment_year(dt.date(2019, 10, 8)) == 2020  # after 2019's (10-07)


def test_engine_input_is_the_year_total_per_parent_dated_on_the_double_ninth(elders: Any, system: Any) -> None:
    household, father, mother = elders
    pay(system, household, father, 600, dt.date(2020, 3, 1))
    pay(system, household, father, 700, dt.date(2019, 11, 20))  # after 2019's Double Ninth: counts for 2020
    pay(system, household, mother, 900, dt.date(2020, 10, 25))
    pay(system, household, mother, 5000, dt.date(2020, 10, 26))  # the next year's
    assert support_documents(dt.date(2020, 10, 1)) == [
        {"household": "FIL1", "parent": str(father.pk), "amount_paid": "1300.00", "date": "2020-10-25"},
        {"household": "FIL1", "parent": str(mother.pk), "amount_paid": "900.00", "date": "2020-10-25"},
    ]
    assert support_documents(dt.date(2020, 9, 1)) == []  # nothing outside the Double Ninth month
    # POLICY.md §5 by hand: 1300 + 900 = 2200 paid → floor(2200 / 1000) = 2 steps × 200 = 400 (cap 400)
    assert reward_fen(household, 2020) == 40_000
    # 2021: 5000 → 5 steps × 200 = 1000, capped at 400
    assert reward_fen(household, 2021) == 40_000


def test_one_step_pays_two_hundred(elders: Any, system: Any) -> None:
    household, father, _ = elders
    pay(system, household, father, 1999, dt.date(2020, 6, 30))  # floor(1999 / 1000) = 1 → 200
    assert reward_fen(household, 2020) == 20_000


def test_the_october_run_pays_an_enrolled_household_once(elders: Any, system: Any) -> None:
    household, father, _ = elders
    enrol(household, "filial_reward", dt.date(2020, 7, 1))
    pay(system, household, father, 1300, dt.date(2020, 5, 4))
    run_month("2020-09", actor=system)
    assert not PaymentLine.objects.filter(program="filial_reward").exists()
    run_month("2020-10", actor=system)
    line = PaymentLine.objects.get(program="filial_reward")
    assert (line.household_id, line.person_id, line.amount_fen, line.month) == (
        household.pk, None, 20_000, dt.date(2020, 10, 1),
    )  # fmt: skip
    assert run_month("2020-10", actor=system).kind == "noop"
    run_month("2020-11", actor=system)
    assert PaymentLine.objects.filter(program="filial_reward").count() == 1


def test_a_household_not_enrolled_is_computed_but_not_paid(elders: Any, system: Any) -> None:
    household, father, _ = elders
    pay(system, household, father, 3000, dt.date(2020, 5, 4))
    run_month("2020-10", actor=system)
    assert reward_fen(household, 2020) == 40_000
    assert not PaymentLine.objects.filter(program="filial_reward").exists()
