"""The ledger is append-only three ways: the model, the queryset and the database itself refuse."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from jingzhun.ledger.models import AppendOnlyError, MonthRun, PaymentLine, PaymentStatusEvent
from jingzhun.ledger.runs import run_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def line(county: dict[str, Any], system: Any) -> PaymentLine:
    run_month("2020-06", actor=system)
    return PaymentLine.objects.order_by("id").first()


def test_saving_a_changed_line_is_refused(line: PaymentLine) -> None:
    line.amount_fen = 1
    with pytest.raises(AppendOnlyError, match="台账只能追加"):
        line.save()


def test_deleting_a_line_is_refused(line: PaymentLine) -> None:
    with pytest.raises(AppendOnlyError):
        line.delete()
    with pytest.raises(AppendOnlyError):
        PaymentLine.objects.filter(pk=line.pk).delete()
    with pytest.raises(AppendOnlyError):
        PaymentLine.objects.filter(pk=line.pk).update(amount_fen=0)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_paymentline SET amount_fen = 1 WHERE id = %s",
        "DELETE FROM ledger_paymentline WHERE id = %s",
    ],
)
def test_the_database_refuses_update_and_delete_of_a_line(line: PaymentLine, sql: str) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [line.pk])
    assert PaymentLine.objects.get(pk=line.pk).amount_fen == line.amount_fen


@pytest.mark.parametrize("table", ["ledger_monthrun", "ledger_runsnapshot", "ledger_paymentstatusevent"])
def test_the_database_refuses_to_delete_runs_snapshots_and_statuses(line: PaymentLine, table: str) -> None:
    PaymentStatusEvent.objects.create(line=line, status="sent", actor_label="test")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
    assert MonthRun.objects.count() == 1


def test_the_database_refuses_to_rewrite_a_run_total(line: PaymentLine) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_monthrun SET total_fen = 0")


@pytest.mark.parametrize("op", ["UPDATE ledger_cpimonth SET food = 0", "DELETE FROM ledger_cpimonth"])
def test_the_database_refuses_to_rewrite_an_entered_cpi(system: Any, op: str) -> None:
    import datetime as dt

    from jingzhun.ledger.actions import set_cpi
    from jingzhun.ledger.models import CpiMonth

    set_cpi(system, dt.date(2020, 6, 1), all_items="2.5", food="11.1", source="统计月报")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(op)
    assert str(CpiMonth.objects.get().food) == "11.10"


def test_the_database_refuses_to_delete_a_temporary_account(county: dict[str, Any], system: Any) -> None:
    import datetime as dt

    from jingzhun.ledger.models import TemporaryAccount
    from tests.ledger.test_run_month_events import approved_emergency

    approved_emergency(county["households"][0], 100_000, dt.date(2020, 6, 3))
    run_month("2020-06", actor=system)
    assert TemporaryAccount.objects.count() == 1
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_temporaryaccount")
    assert TemporaryAccount.objects.count() == 1
