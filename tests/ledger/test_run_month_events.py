"""Event and once-per-lifetime programs through the month run: 临时救助 and 大病关怀救助."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from jingzhun.ledger.models import PaymentLine
from jingzhun.ledger.runs import run_month
from jingzhun.ledger.statements import build_statement
from tests.ledger.factories import enrol, make_household

pytestmark = pytest.mark.django_db


def approved_emergency(household: Any, amount_due_fen: int, day: dt.date) -> Any:
    from jingzhun.assistance.models import Application

    return Application.objects.create(
        household=household,
        family="temporary",
        kind="temporary",
        status="approved",
        created_via="township",
        created_by_label="test",
        submitted_on=day,
        temporary_kind="emergency",
        amount_due_fen=amount_due_fen,
        event_date=day,
        decided_at=timezone.now(),
    )


def test_an_approved_emergency_is_paid_in_its_month_capped_and_explained(county: dict[str, Any], system: Any) -> None:
    household = county["households"][0]
    approved_emergency(household, 800_000, dt.date(2020, 6, 10))  # asks 8000, cap 5000
    run_month("2020-06", actor=system)
    line = PaymentLine.objects.get(program="temporary_assistance")
    assert (line.household_id, line.amount_fen, line.person_id) == (household.pk, 500_000, None)
    assert run_month("2020-06", actor=system).kind == "noop"
    assert not PaymentLine.objects.filter(program="temporary_assistance", month=dt.date(2020, 7, 1)).exists()
    run_month("2020-07", actor=system)
    assert PaymentLine.objects.filter(program="temporary_assistance").count() == 1
    (entry,) = [e for e in build_statement(household).entries if e.program == "temporary_assistance"]
    assert "5000" in entry.reason and "急难型" in entry.reason


def test_major_illness_care_is_paid_once_in_a_lifetime(county: dict[str, Any], system: Any) -> None:
    household = make_household(
        county["v11"], "ILL", members=[{"birth_date": dt.date(1960, 1, 1), "late_stage_major_disease": True}],
        income_fen=10_000_000, families=(),
    )  # fmt: skip
    enrol(household, "major_illness", dt.date(2020, 6, 1))
    run_month("2020-06", actor=system)
    assert list(PaymentLine.objects.filter(household=household).values_list("program", "amount_fen")) == [
        ("major_illness_care", 500_000)
    ]
    run_month("2020-07", actor=system)
    assert PaymentLine.objects.filter(household=household).count() == 1
    assert run_month("2020-06", actor=system).kind == "noop"  # its own month is not "paid before"
