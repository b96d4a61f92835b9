"""Issue #15: money in one format on the staff pages — thousands separators and two decimals
(``policy.money.fen_to_grouped``): month-run messages, the month job's totals, the 民生账本 lines."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_month_run_message_and_job_totals_are_grouped(county: dict[str, Any], system: Any) -> None:
    from jingzhun.ledger.runs import run_month

    preview = run_month("2020-06", actor=system, dry_run=True)
    assert preview.amount_added_fen == 206_120
    assert "金额 2,061.20 元" in preview.message
    result = run_month("2020-06", actor=system)
    assert "金额 2,061.20 元" in result.message


def test_statement_amounts_are_grouped() -> None:
    import datetime as dt

    from jingzhun.ledger.statements import StatementEntry

    entry = StatementEntry(1, dt.date(2020, 6, 1), "dibao", "", "regular", 123_456_789, "待发", "")
    assert entry.amount == "1,234,567.89"
