"""Returned payments (退票): marked returned, queued again for the next bank file; a bad file writes nothing."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from jingzhun.core.models import AuditEvent
from jingzhun.ledger.bankfiles import latest_status
from jingzhun.ledger.models import PaymentLine, PaymentStatusEvent
from tests.ledger.cli import bank_file_sent, jingzhun
from tests.ledger.test_bank_file import fen, read_csv, totals_amount

pytestmark = pytest.mark.django_db


@pytest.fixture
def june_file(county: dict[str, Any], tmp_path: Path) -> list[list[str]]:
    jingzhun("run-month", "2020-06")
    bank_file_sent("2020-06", "--out", str(tmp_path / "june.csv"))
    rows, _, _ = read_csv(tmp_path / "june.csv")
    return rows


def returns_file(path: Path, rows: list[tuple[str, ...]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["参考号", "账号", "金额（元）", "退回原因"])
        writer.writerows(rows)
    return path


def test_returned_payments_are_marked_and_requeued(june_file: list[list[str]], tmp_path: Path) -> None:
    returned = june_file[0]
    path = returns_file(tmp_path / "ret.csv", [(returned[1], returned[4], returned[7], "账户已冻结")])
    result = jingzhun("ledger", "bank-returns", str(path))
    assert result.exit_code == 0, result.stderr
    assert "3 条台账行" in result.stdout and "515.30" in result.stdout
    lines = list(PaymentLine.objects.filter(household__household_no=returned[2]))
    assert set(latest_status([line.pk for line in lines]).values()) == {"pending"}
    history = PaymentStatusEvent.objects.filter(line=lines[0]).order_by("id")
    assert [e.status for e in history] == ["sent", "returned", "pending"]
    assert history[1].note == "账户已冻结" and history[1].reference == returned[1]
    assert AuditEvent.objects.filter(action__in=["mark_returned", "requeue_returned"]).count() == 2


def test_the_next_bank_file_pays_the_returned_amount_again(june_file: list[list[str]], tmp_path: Path) -> None:
    returned = june_file[0]
    jingzhun("ledger", "bank-returns", str(returns_file(tmp_path / "r.csv", [(returned[1], "", returned[7], "")])))
    jingzhun("run-month", "2020-07")
    bank_file_sent("2020-07", "--out", str(tmp_path / "july.csv"))
    rows, total, notes = read_csv(tmp_path / "july.csv")
    row = next(r for r in rows if r[2] == returned[2])
    assert row[7] == "1030.60"  # July 515.30 + June 515.30 paid again
    assert "2020-06" in row[8] and "2020-07" in row[8]
    assert fen(total[7]) == fen(totals_amount("2020-07")) + fen(returned[7])
    assert notes["加：以前月份待发（退回重发等）"] == returned[7]


def test_a_returns_file_with_any_bad_row_writes_nothing(june_file: list[list[str]], tmp_path: Path) -> None:
    good, other = june_file[0], june_file[1]
    path = returns_file(
        tmp_path / "bad.csv",
        [
            (good[1], "", good[7], ""),
            ("JZ999999000001", "", "1.00", ""),
            (other[1], "", "1.00", ""),
            (other[1], "", other[7], ""),
            (good[1], "6230000", "abc", ""),
        ],
    )
    before = PaymentStatusEvent.objects.count()
    result = jingzhun("ledger", "bank-returns", str(path))
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert [e.split("：")[1].split(" ")[1] for e in errors[:-1]] == ["3", "4", "5", "6"]  # row numbers, header = 1
    assert "第 3 行 参考号 [reference] JZ999999000001：找不到该参考号" in errors[0]
    assert "与报盘金额" in errors[1] and "与第 4 行重复" in errors[2] and "金额（元） [amount]" in errors[3]
    assert errors[-1] == "未写入任何记录。"
    assert PaymentStatusEvent.objects.count() == before


def test_amount_mismatch_and_repeated_return_are_refused(june_file: list[list[str]], tmp_path: Path) -> None:
    row = june_file[0]
    wrong = jingzhun("ledger", "bank-returns", str(returns_file(tmp_path / "w.csv", [(row[1], "", "1.00", "")])))
    assert "与报盘金额 515.30 不符" in wrong.stderr
    ok = returns_file(tmp_path / "ok.csv", [(row[1], row[4], row[7], "")])
    assert jingzhun("ledger", "bank-returns", str(ok)).exit_code == 0
    again = jingzhun("ledger", "bank-returns", str(ok))
    assert again.exit_code == 1 and "不能重复退回" in again.stderr


def test_a_returns_file_without_the_required_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("编号,钱\n1,2\n", encoding="utf-8")
    result = jingzhun("ledger", "bank-returns", str(path))
    assert result.exit_code == 1 and "缺少列 参考号、金额（元）" in result.stderr
