"""When parameters or cases change, a re-run appends only the differences, as adjustment lines."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.ledger.models import PaymentLine
from jingzhun.ledger.queries import month_totals
from jingzhun.ledger.runs import run_month
from jingzhun.policy.params import load_parameters
from jingzhun.policy.reforms import apply_reform, parse_reform

pytestmark = pytest.mark.django_db
JUNE = dt.date(2020, 6, 1)


def _reform(value: str) -> Any:
    raw = {
        "name": f"农村低保标准 {value}",
        "changes": [{"parameter": "dibao.standard.rural", "from": "2020-01-01", "value": value}],
    }
    return apply_reform(load_parameters(), parse_reform(raw))


def test_a_reform_adds_only_adjustment_lines_summing_to_the_change(county: dict[str, Any], system: Any) -> None:
    old = run_month("2020-06", actor=system)
    lines_before = PaymentLine.objects.count()
    new = run_month("2020-06", actor=system, params=_reform("6000"))
    added = PaymentLine.objects.filter(run_id=new.run_id)
    assert new.kind == "adjustment"
    assert set(added.values_list("kind", flat=True)) == {"adjustment"}
    assert PaymentLine.objects.count() == lines_before + added.count()
    # S = 500: 低保补差 500 and 分类施保 100 per household, 高龄补贴 unchanged.
    assert month_totals(JUNE).amount_fen == 4 * (50000 + 10000 + 3000)
    assert sum(added.values_list("amount_fen", flat=True)) == new.total_fen - old.total_fen
    assert added.count() == 8  # two programs × four households; 高龄补贴 did not move


def test_the_same_reform_run_twice_adds_nothing_the_second_time(county: dict[str, Any], system: Any) -> None:
    run_month("2020-06", actor=system)
    run_month("2020-06", actor=system, params=_reform("6000"))
    again = run_month("2020-06", actor=system, params=_reform("6000"))
    assert again.kind == "noop"


def test_a_new_income_lowers_only_that_household_and_says_why(county: dict[str, Any], system: Any) -> None:
    from jingzhun.registry.models import IncomeRecord

    old = run_month("2020-06", actor=system)
    household = county["households"][0]
    IncomeRecord.objects.create(person=household.persons.get(), year=2019, transfer_fen=120000)  # 1200 yuan/yr
    new = run_month("2020-06", actor=system)
    added = list(PaymentLine.objects.filter(run_id=new.run_id))
    assert {line.household_id for line in added} == {household.pk}
    assert [(line.program, line.amount_fen) for line in added] == [("dibao", -10000)]  # y = 100 yuan/month
    assert "原净额 404.42 元，现应发 304.42 元" in added[0].reason
    assert new.total_fen - old.total_fen == -10000


def test_an_ended_enrollment_stops_the_month_with_a_negative_adjustment(county: dict[str, Any], system: Any) -> None:
    from jingzhun.assistance.models import Enrollment

    run_month("2020-06", actor=system)
    household = county["households"][1]
    Enrollment.objects.filter(household=household).update(status="ended", end_month=dt.date(2020, 5, 1))
    new = run_month("2020-06", actor=system)
    added = PaymentLine.objects.filter(run_id=new.run_id)
    assert sorted(added.values_list("amount_fen", flat=True)) == [-40442, -8088, -3000]
    assert all(reason.startswith("停发") for reason in added.values_list("reason", flat=True))
    assert new.changes["stopped"] == 3
    assert month_totals(JUNE).households == 3


def test_a_new_household_in_a_paid_month_gets_payment_lines(county: dict[str, Any], system: Any) -> None:
    from tests.ledger.factories import elderly_poor_village

    run_month("2020-06", actor=system)
    (late,) = elderly_poor_village(county["v21"], 1, prefix="N")
    new = run_month("2020-06", actor=system)
    added = PaymentLine.objects.filter(run_id=new.run_id)
    assert set(added.values_list("household_id", "kind")) == {(late.pk, "payment")}
    assert new.changes["new"] == 3
