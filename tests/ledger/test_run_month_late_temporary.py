"""补发: 临时救助 approved after its month ran is paid once by the next run of a later month, never twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.core.models import AuditEvent
from jingzhun.ledger.models import PaymentLine, TemporaryAccount
from jingzhun.ledger.runs import run_month
from jingzhun.ledger.statements import build_statement
from tests.ledger.test_run_month_events import approved_emergency

pytestmark = pytest.mark.django_db
JUNE, JULY, AUGUST = dt.date(2020, 6, 1), dt.date(2020, 7, 1), dt.date(2020, 8, 1)


def temporary(household: Any | None = None) -> list[tuple[dt.date, int, str]]:
    lines = PaymentLine.objects.filter(program="temporary_assistance")
    if household is not None:
        lines = lines.filter(household=household)
    return list(lines.order_by("id").values_list("month", "amount_fen", "kind"))


def test_an_event_approved_after_its_month_ran_is_paid_by_the_next_run_once(
    county: dict[str, Any], system: Any
) -> None:
    household = county["households"][0]
    run_month("2020-06", actor=system)
    application = approved_emergency(household, 300_000, dt.date(2020, 6, 10))  # approved after June ran
    july = run_month("2020-07", actor=system)
    assert temporary() == [(JULY, 300_000, "payment")]
    line = PaymentLine.objects.get(program="temporary_assistance")
    assert "补发 2020-06 临时救助 3,000.00 元" in line.reason and "2020-06-10" in line.reason
    assert TemporaryAccount.objects.get(application=application).month == JULY
    audit = AuditEvent.objects.get(action="run_month", object_id=str(july.run_id))
    assert audit.after["temporary_accounted"] == [application.pk]
    # never twice: re-runs of July, the event's own month and later months add nothing
    assert run_month("2020-07", actor=system).kind == "noop"
    assert run_month("2020-06", actor=system).kind == "noop"
    run_month("2020-08", actor=system)
    assert temporary() == [(JULY, 300_000, "payment")]
    (entry,) = [e for e in build_statement(household).entries if e.program == "temporary_assistance"]
    assert "补发 2020-06（申请" in entry.reason and "3000" in entry.reason and "急难型" in entry.reason


def test_an_event_whose_month_has_not_run_waits_for_its_own_month(county: dict[str, Any], system: Any) -> None:
    household = county["households"][0]
    approved_emergency(household, 100_000, dt.date(2020, 6, 3))
    run_month("2020-07", actor=system)  # June never ran: not 补发
    assert temporary() == []
    run_month("2020-06", actor=system)
    assert temporary() == [(JUNE, 100_000, "payment")]
    assert run_month("2020-07", actor=system).kind == "noop"
    assert run_month("2020-08", actor=system).kind == "regular"
    assert temporary() == [(JUNE, 100_000, "payment")]


def test_a_late_event_joins_the_households_event_of_the_run_month(county: dict[str, Any], system: Any) -> None:
    household = county["households"][1]
    run_month("2020-06", actor=system)
    approved_emergency(household, 200_000, dt.date(2020, 6, 20))
    approved_emergency(household, 900_000, dt.date(2020, 7, 2))  # capped at 5000
    run_month("2020-07", actor=system)
    assert temporary(household) == [(JULY, 200_000 + 500_000, "payment")]
    assert run_month("2020-07", actor=system).kind == "noop"
    assert TemporaryAccount.objects.filter(month=JULY).count() == 2


def test_a_late_event_found_improper_after_review_is_taken_back(county: dict[str, Any], system: Any) -> None:
    from jingzhun.assistance.models import Application

    household = county["households"][0]
    run_month("2020-06", actor=system)
    application = approved_emergency(household, 100_000, dt.date(2020, 6, 10))
    run_month("2020-07", actor=system)
    Application.objects.filter(pk=application.pk).update(after_review_confirmed=False)
    rerun = run_month("2020-07", actor=system)
    assert rerun.kind == "adjustment"
    assert temporary() == [(JULY, 100_000, "payment"), (JULY, -100_000, "adjustment")]


def test_a_region_run_pays_only_its_own_late_events(county: dict[str, Any], system: Any) -> None:
    inside, outside = county["households"][0], county["households"][3]  # 信义镇 and 吴城镇
    run_month("2020-06", actor=system)
    approved_emergency(inside, 100_000, dt.date(2020, 6, 10))
    approved_emergency(outside, 100_000, dt.date(2020, 6, 10))
    run_month("2020-07", actor=system, region_prefix=inside.village.code[:9])
    assert [h for (h,) in PaymentLine.objects.filter(program="temporary_assistance").values_list("household")] == [
        inside.pk
    ]
    run_month("2020-07", actor=system)
    assert sorted(
        PaymentLine.objects.filter(program="temporary_assistance").values_list("household", flat=True)
    ) == sorted([inside.pk, outside.pk])


def test_two_months_paying_the_same_late_event_at_once_the_second_writes_nothing(
    county: dict[str, Any], system: Any, monkeypatch: Any
) -> None:
    """Different months run under different locks: if both reach the same 补发, the later one is refused whole."""
    from django.core.exceptions import ValidationError

    from jingzhun.ledger.actions import month_runs as actions
    from jingzhun.ledger.models import MonthRun

    household = county["households"][0]
    june = run_month("2020-06", actor=system)
    application = approved_emergency(household, 300_000, dt.date(2020, 6, 10))
    lines_before = PaymentLine.objects.count()
    real_account = actions._account_temporary

    def racing(plan: Any, run: Any) -> Any:
        # The other month's run commits its account between this run's check and its insert.
        TemporaryAccount.objects.create(application=application, month=AUGUST, run=MonthRun.objects.get(pk=june.run_id))
        with monkeypatch.context() as m:
            m.setattr(TemporaryAccount.objects, "filter", lambda *a, **k: TemporaryAccount.objects.none())
            return real_account(plan, run)

    monkeypatch.setattr(actions, "_account_temporary", racing)
    with pytest.raises(ValidationError, match="另一个月份的发放刚刚补发了本次也要补发的临时救助"):
        run_month("2020-07", actor=system)
    assert PaymentLine.objects.count() == lines_before
    assert not MonthRun.objects.filter(month=JULY).exists()
