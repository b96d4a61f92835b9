"""Bank results (回盘): confirmed payments become 已到账, to the fen, all or nothing; statements show it."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from jingzhun.core.models import AuditEvent
from jingzhun.ledger.bankfiles import latest_status
from jingzhun.ledger.models import PaymentLine, PaymentStatusEvent
from jingzhun.ledger.statements import build_statement
from jingzhun.policy.money import fen_to_grouped
from jingzhun.registry.models import Household
from tests.ledger.cli import bank_file_sent, jingzhun
from tests.ledger.test_bank_file import fen, read_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def june_file(county: dict[str, Any], tmp_path: Path) -> list[list[str]]:
    assert jingzhun("run-month", "2020-06").exit_code == 0
    bank_file_sent("2020-06", "--out", str(tmp_path / "june.csv"))
    rows, _, _ = read_csv(tmp_path / "june.csv")
    assert len(rows) == 4
    return rows


def result_file(path: Path, header: list[str], rows: list[tuple[str, ...]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def statuses_of(household_no: str) -> set[str]:
    lines = PaymentLine.objects.filter(household__household_no=household_no).values_list("pk", flat=True)
    return set(latest_status(list(lines)).values())


def test_confirmed_payments_are_marked_paid_and_reconciled(june_file: list[list[str]], tmp_path: Path) -> None:
    header = ["参考号", "账号", "金额（元）"]
    rows = [(r[1], r[4], r[7]) for r in june_file[:3]]
    total = sum(fen(r[7]) for r in june_file[:3])
    path = result_file(tmp_path / "ok.csv", header, [*rows, ("合计", "", f"{total // 100}.{total % 100:02d}")])
    result = jingzhun("ledger", "bank-confirm", str(path))
    assert result.exit_code == 0, result.stderr
    assert f"合计 {fen_to_grouped(total)} 元" in result.stdout
    sent = sum(fen(r[7]) for r in june_file)
    open_fen = fen(june_file[3][7])
    assert (
        f"报盘 {sent // 100}.{sent % 100:02d} 元 = 已到账 {total // 100}.{total % 100:02d} + 退回 0.00 + "
        f"未回盘 {open_fen // 100}.{open_fen % 100:02d}" in result.stdout
    )
    for row in june_file[:3]:
        assert statuses_of(row[2]) == {"paid"}
    assert statuses_of(june_file[3][2]) == {"sent"}
    assert AuditEvent.objects.filter(action="mark_paid").count() == 1
    again = jingzhun("ledger", "bank-confirm", str(path))
    assert again.exit_code == 1 and "不能重复确认到账" in again.stderr


def test_paid_lines_are_not_carried_by_the_next_bank_file(june_file: list[list[str]], tmp_path: Path) -> None:
    rows = [(r[1], r[7]) for r in june_file]
    assert (
        jingzhun(
            "ledger", "bank-confirm", str(result_file(tmp_path / "ok.csv", ["参考号", "金额（元）"], rows))
        ).exit_code
        == 0
    )
    jingzhun("run-month", "2020-07")
    bank_file_sent("2020-07", "--out", str(tmp_path / "july.csv"))
    july, _, notes = read_csv(tmp_path / "july.csv")
    assert all("2020-06" not in r[8] for r in july)
    assert notes["加：以前月份待发（退回重发等）"] == "0.00"


def test_one_file_with_a_status_column_confirms_and_returns(june_file: list[list[str]], tmp_path: Path) -> None:
    paid, returned = june_file[0], june_file[1]
    path = result_file(
        tmp_path / "mixed.csv",
        ["参考号", "金额（元）", "状态", "退回原因"],
        [(paid[1], paid[7], "成功", ""), (returned[1], returned[7], "失败", "户名不符")],
    )
    result = jingzhun("ledger", "bank-confirm", str(path))
    assert result.exit_code == 0, result.stderr
    assert "已确认到账（已发放）3 条" in result.stdout and "已标记退回并重新排队 3 条" in result.stdout
    assert statuses_of(paid[2]) == {"paid"} and statuses_of(returned[2]) == {"pending"}
    household = Household.objects.get(household_no=returned[2])
    assert {e.bank_status for e in build_statement(household).entries} == {"退回，待重发"}
    paid_statement = build_statement(Household.objects.get(household_no=paid[2]))
    assert {e.bank_status for e in paid_statement.entries} == {"已到账"}
    assert paid_statement.by_status() == [("已到账", fen(paid[7]))]


def test_a_bad_result_file_writes_nothing_and_names_every_row(june_file: list[list[str]], tmp_path: Path) -> None:
    good, other = june_file[0], june_file[1]
    path = result_file(
        tmp_path / "bad.csv",
        ["参考号", "金额（元）", "状态"],
        [
            (good[1], good[7], "成功"),
            (other[1], "0.01", "成功"),  # one fen off
            (june_file[2][1], june_file[2][7], "也许"),
            ("合计", "1.00", ""),
        ],
    )
    before = PaymentStatusEvent.objects.count()
    result = jingzhun("ledger", "bank-confirm", str(path))
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert errors[0].startswith("bad.csv：第 3 行 参考号 [reference]") and "与报盘金额" in errors[0]
    assert "第 4 行 状态 [status]" in errors[1]
    assert errors[-1] == "未写入任何记录。"
    assert PaymentStatusEvent.objects.count() == before


def test_a_totals_row_must_match_to_the_fen(june_file: list[list[str]], tmp_path: Path) -> None:
    row = june_file[0]
    off = fen(row[7]) + 1
    path = result_file(
        tmp_path / "t.csv", ["参考号", "金额（元）"], [(row[1], row[7]), ("合计", f"{off // 100}.{off % 100:02d}")]
    )
    result = jingzhun("ledger", "bank-confirm", str(path))
    assert result.exit_code == 1 and "第 3 行 金额（元） [amount]：合计" in result.stderr
    assert statuses_of(row[2]) == {"sent"}


def test_statement_shows_pending_before_any_bank_file(county: dict[str, Any]) -> None:
    jingzhun("run-month", "2020-06")
    statement = build_statement(county["households"][0])
    assert {e.bank_status for e in statement.entries} == {"待发"}
    assert [label for label, _ in statement.by_status()] == ["待发"]
