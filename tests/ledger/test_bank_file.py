"""Bank files: one row per household, a totals row that reconciles with `ledger totals` to the fen."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from jingzhun.core.models import AuditEvent
from jingzhun.ledger.actions import reverse_payment
from jingzhun.ledger.models import BankBatch, PaymentLine, PaymentStatusEvent
from tests.ledger.cli import bank_file_sent, jingzhun

pytestmark = pytest.mark.django_db


def read_csv(path: Path) -> tuple[list[list[str]], list[str], dict[str, str]]:
    """(household rows, totals row, reconciliation notes) of a bank CSV."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    total_at = next(i for i, row in enumerate(table) if row and row[0] == "合计")
    notes = {row[1]: row[2] for row in table[total_at + 1 :] if row}
    return table[1:total_at], table[total_at], notes


def totals_amount(month: str) -> str:
    return json.loads(jingzhun("ledger", "totals", month, "--format", "json").stdout)["amount"]


def fen(yuan: str) -> int:
    whole, _, cents = yuan.partition(".")
    return int(whole) * 100 + int(cents)


def test_bank_file_totals_reconcile_with_ledger_totals_to_the_fen(county: dict[str, Any], tmp_path: Path) -> None:
    jingzhun("run-month", "2020-06")
    out = tmp_path / "bank.csv"
    result = jingzhun("ledger", "bank-file", "2020-06", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    rows, total, notes = read_csv(out)
    assert len(rows) == 4  # one row per household, not per line
    assert sum(fen(r[7]) for r in rows) == fen(total[7]) == fen(totals_amount("2020-06")) == 206120
    assert notes["本文件合计"] == notes["台账本月净额（jingzhun ledger totals）"] == "2061.20"


def test_bank_file_rows_carry_account_name_masked_id_and_reference(county: dict[str, Any], tmp_path: Path) -> None:
    jingzhun("run-month", "2020-06")
    out = tmp_path / "bank.csv"
    jingzhun("ledger", "bank-file", "2020-06", "--out", str(out))
    rows, _, _ = read_csv(out)
    household = county["households"][0]
    head = household.persons.get()
    row = next(r for r in rows if r[2] == household.household_no)
    assert row[4] == household.bank_account
    assert row[5] == head.name
    assert row[6] == f"{head.id_number[:4]}**********{head.id_number[-4:]}"
    assert row[1].startswith("JZ") and row[7] == "515.30"
    assert "低保补差" in row[8] and "2020-06" in row[8]


def test_generating_marks_nothing_and_the_confirm_step_marks_lines_sent(county: dict[str, Any], tmp_path: Path) -> None:
    jingzhun("run-month", "2020-06")
    first = jingzhun("ledger", "bank-file", "2020-06", "--out", str(tmp_path / "a.csv"))
    assert "jingzhun ledger bank-sent" in first.stdout
    assert not PaymentStatusEvent.objects.exists()  # generated, not yet handed to the bank
    assert AuditEvent.objects.filter(action="generate_bank_file").count() == 1
    batch = BankBatch.objects.get()
    sent = jingzhun("ledger", "bank-sent", str(batch.pk))
    assert sent.exit_code == 0 and "12 条台账行记为已报盘" in sent.stdout
    assert PaymentStatusEvent.objects.filter(status="sent", batch=batch).count() == PaymentLine.objects.count() == 12
    assert AuditEvent.objects.filter(action="send_bank_file").count() == 1
    again = jingzhun("ledger", "bank-sent", str(batch.pk))
    assert again.exit_code == 1 and "已确认报盘，不能重复确认" in again.stderr
    jingzhun("ledger", "bank-file", "2020-06", "--out", str(tmp_path / "b.csv"))
    rows, total, _ = read_csv(tmp_path / "b.csv")
    assert rows == [] and total[7] == "0.00"
    assert BankBatch.objects.count() == 1


def test_a_file_generated_before_the_queue_changed_cannot_be_confirmed(county: dict[str, Any], tmp_path: Path) -> None:
    jingzhun("run-month", "2020-06")
    jingzhun("ledger", "bank-file", "2020-06", "--out", str(tmp_path / "old.csv"))
    jingzhun("ledger", "bank-file", "2020-06", "--out", str(tmp_path / "new.csv"))
    old, new = BankBatch.objects.order_by("id")
    assert jingzhun("ledger", "bank-sent", str(new.pk)).exit_code == 0
    stale = jingzhun("ledger", "bank-sent", str(old.pk))
    assert stale.exit_code == 1 and "请重新生成代发文件" in stale.stderr
    assert PaymentStatusEvent.objects.filter(batch=old).count() == 0


def test_xlsx_bank_file_has_the_same_total(county: dict[str, Any], tmp_path: Path) -> None:
    jingzhun("run-month", "2020-06")
    out = tmp_path / "bank.xlsx"
    assert jingzhun("ledger", "bank-file", "2020-06", "--out", str(out)).exit_code == 0
    sheet = load_workbook(out)["代发明细"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "序号" and values[-1][0] == "合计"
    amounts = [round(v[7] * 100) for v in values[1:-1]]
    assert sum(amounts) == round(values[-1][7] * 100) == 206120


def test_a_reversal_after_sending_is_set_off_against_the_next_payment(
    county: dict[str, Any], system: Any, tmp_path: Path
) -> None:
    jingzhun("run-month", "2020-06")
    bank_file_sent("2020-06", "--out", str(tmp_path / "june.csv"))
    household = county["households"][0]
    elderly = PaymentLine.objects.get(household=household, program="elderly_allowance")
    reverse_payment(system, elderly.pk, "年龄登记错误")
    jingzhun("run-month", "2020-07")
    bank_file_sent("2020-07", "--out", str(tmp_path / "july.csv"))
    rows, total, notes = read_csv(tmp_path / "july.csv")
    row = next(r for r in rows if r[2] == household.household_no)
    assert row[7] == "485.30"  # 515.30 this month − 30.00 reversed from June
    assert fen(total[7]) == fen(totals_amount("2020-07")) - 3000
    assert notes["加：以前月份待发（退回重发等）"] == "-30.00"


def test_a_household_without_account_is_listed_and_not_sent(county: dict[str, Any], tmp_path: Path) -> None:
    from tests.ledger.factories import make_household

    make_household(
        county["v11"], "NOACCT", members=[{"birth_date": __import__("datetime").date(1936, 5, 1)}], bank_account=""
    )
    jingzhun("run-month", "2020-06")
    result = jingzhun("ledger", "bank-file", "2020-06", "--out", str(tmp_path / "bank.csv"))
    assert "缺少银行账号" in result.stdout and "NOACCT" in result.stdout
    _, _, notes = read_csv(tmp_path / "bank.csv")
    assert notes["减：缺少银行账号未报盘"] == "515.30"
    assert not PaymentStatusEvent.objects.filter(line__household__household_no="NOACCT").exists()


def test_bank_file_for_one_run_carries_only_that_runs_lines(county: dict[str, Any], tmp_path: Path) -> None:
    from jingzhun.core.actions import Actor
    from jingzhun.ledger.runs import run_month
    from tests.ledger.test_run_month_adjustments import _reform

    jingzhun("run-month", "2020-06")
    bank_file_sent("2020-06", "--out", str(tmp_path / "june.csv"))
    raised = run_month("2020-06", actor=Actor.system("test"), params=_reform("6000"))
    out = tmp_path / "adjust.csv"
    assert jingzhun("ledger", "bank-file", str(raised.run_id), "--out", str(out)).exit_code == 0
    rows, total, notes = read_csv(out)
    assert len(rows) == 4 and fen(total[7]) == raised.amount_added_fen == 4 * (9558 + 1912)
    assert notes[f"运行 #{raised.run_id} 新增金额"] == total[7]
