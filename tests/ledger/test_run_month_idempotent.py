"""A month run pays once: the first run writes payment lines, a re-run writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from jingzhun.core.models import AuditEvent
from jingzhun.ledger.models import MonthRun, PaymentLine
from jingzhun.ledger.queries import month_totals
from jingzhun.ledger.runs import run_month

pytestmark = pytest.mark.django_db

# One 84-year-old alone, no income, registered poor, 2020-06 (S = 4853 / 12):
# 低保补差 404.42 + 分类施保 0.2 × S = 80.88 + 高龄补贴 30 = 515.30 per household.
PER_HOUSEHOLD_FEN = 40442 + 8088 + 3000


def test_first_run_writes_one_payment_line_per_program_and_person(county: dict[str, Any], system: Any) -> None:
    result = run_month("2020-06", actor=system)
    assert result.kind == "regular"
    assert result.lines_added == 12
    assert result.amount_added_fen == 4 * PER_HOUSEHOLD_FEN
    assert result.households == 4
    assert set(PaymentLine.objects.values_list("kind", flat=True)) == {"payment"}
    assert result.by_program == {"dibao": 4 * 40442, "dibao_classified": 4 * 8088, "elderly_allowance": 4 * 3000}


def test_rerun_of_the_same_month_adds_nothing_and_says_so(county: dict[str, Any], system: Any) -> None:
    first = run_month("2020-06", actor=system)
    before = PaymentLine.objects.count()
    again = run_month("2020-06", actor=system)
    assert again.kind == "noop"
    assert again.lines_added == 0
    assert again.message == "本月已发放，无变化"
    assert PaymentLine.objects.count() == before
    assert again.inputs_sha256 == first.inputs_sha256
    assert again.total_fen == first.total_fen


def test_rerun_shares_the_frozen_snapshot_and_records_one_audit_row_per_run(
    county: dict[str, Any], system: Any
) -> None:
    run_month("2020-06", actor=system)
    run_month("2020-06", actor=system)
    runs = list(MonthRun.objects.order_by("id"))
    assert [r.kind for r in runs] == ["regular", "noop"]
    assert runs[0].snapshot_id == runs[1].snapshot_id
    audits = AuditEvent.objects.filter(action="run_month").order_by("id")
    assert [a.object_id for a in audits] == [str(r.pk) for r in runs]
    assert audits[0].after["total"] == "2061.20"


def test_dry_run_reports_what_it_would_write_and_writes_nothing(county: dict[str, Any], system: Any) -> None:
    result = run_month("2020-06", actor=system, dry_run=True)
    assert result.lines_added == 12
    assert result.run_id is None
    assert PaymentLine.objects.count() == 0
    assert MonthRun.objects.count() == 0


def test_run_scoped_to_a_township_pays_only_its_villages(county: dict[str, Any], system: Any) -> None:
    result = run_month("2020-06", region_prefix="141102001", actor=system)
    assert result.households == 3
    assert month_totals(result_month(), "141102002").lines == 0
    assert month_totals(result_month()).households == 3


def result_month() -> Any:
    import datetime as dt

    return dt.date(2020, 6, 1)
