"""The ledger's monthly summary follows the ledger: a new line (or a reversal) rebuilds only its month."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.dashboard import summary
from jingzhun.dashboard.models import LedgerMonthVillage

pytestmark = pytest.mark.django_db


def fen(month: dt.date, village: Any) -> int:
    rows = LedgerMonthVillage.objects.filter(month=month, village=village).exclude(program=summary.ALL)
    return sum(rows.values_list("amount_fen", flat=True))


def test_new_lines_rebuild_their_month_only(dash_world: Any) -> None:
    from jingzhun.ledger.models import PaymentLine

    june, may = dt.date(2020, 6, 1), dt.date(2020, 5, 1)
    own = dash_world["own"]
    assert summary.refresh() == [may, june]
    assert summary.refresh() == []  # nothing changed
    assert fen(june, own.village) == 40_442
    line = PaymentLine.objects.filter(household=own, month=june).get()
    PaymentLine.objects.create(
        household=own,
        program="dibao",
        month=june,
        amount_fen=-40_442,
        kind="reversal",
        reverses=line,
        actor_label="t",
        reason="错发",
    )
    assert summary.refresh() == [june]
    assert fen(june, own.village) == 0 and fen(may, own.village) == 40_000
    row = LedgerMonthVillage.objects.get(month=june, village=own.village, program="dibao")
    assert row.households == 1
