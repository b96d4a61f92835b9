"""`jingzhun filial import FILE [--dry-run]`: 子女赡养费 from a spreadsheet, all or nothing, 第N行 errors."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from jingzhun.assistance.filial_import import COLUMNS
from jingzhun.assistance.filial_models import SupportPayment
from jingzhun.cli import app
from jingzhun.core.models import AuditEvent

pytestmark = pytest.mark.django_db
runner = CliRunner()
HEADERS = list(COLUMNS.values())


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADERS, *rows])
    return path


def good_rows(world: dict[str, Any]) -> list[list[str]]:
    own = world["own"]
    head = own.persons.get(relation="head")
    return [
        [own.household_no, head.id_number, "刘建军", "儿子", "", "2020-03-01", "600", "2020-01-01", "2020-03-31"],
        [own.household_no, head.id_number, "刘秀梅", "女儿", "", "2020-06-01", "650.50", "2020-04-01", "2020-06-30"],
    ]


def test_a_good_file_is_imported_with_one_audit_row_per_record(tmp_path: Path, world: dict[str, Any]) -> None:
    path = write_csv(tmp_path / "support.csv", good_rows(world))
    audits = AuditEvent.objects.count()
    dry = runner.invoke(app, ["filial", "import", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.stderr
    assert "检查通过（--dry-run，未写入）：子女赡养费 2 笔，共 1,250.50 元" in dry.stdout
    assert not SupportPayment.objects.exists() and AuditEvent.objects.count() == audits
    result = runner.invoke(app, ["filial", "import", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "已导入：子女赡养费 2 笔，共 1,250.50 元" in result.stdout
    assert sorted(SupportPayment.objects.values_list("payer_relation", "amount_fen")) == [
        ("daughter", 65_050),
        ("son", 60_000),
    ]
    assert AuditEvent.objects.filter(action="support_payment_recorded").count() == 2


def test_an_xlsx_file_reads_the_same(tmp_path: Path, world: dict[str, Any]) -> None:
    book = Workbook()
    sheet = book.active
    for row in [HEADERS, *good_rows(world)]:
        sheet.append(row)
    book.save(tmp_path / "support.xlsx")
    result = runner.invoke(app, ["filial", "import", str(tmp_path / "support.xlsx")])
    assert result.exit_code == 0, result.stderr
    assert SupportPayment.objects.count() == 2


def test_any_bad_row_writes_nothing_and_every_error_names_row_and_column(tmp_path: Path, world: dict[str, Any]) -> None:
    own = world["own"]
    spouse = own.persons.get(relation="spouse")
    rows = [
        *good_rows(world),
        ["9999", spouse.id_number, "王", "儿子", "", "2020-03-01", "100", "2020-01-01", "2020-03-31"],
        [own.household_no, spouse.id_number, "王", "侄子", "", "2020-13-01", "-5", "2020-01-01", "2020-03-31"],
        [own.household_no, spouse.id_number, "王", "儿子", "", "2020-03-01", "100", "2020-01-01", "2020-03-31"],
    ]
    result = runner.invoke(app, ["filial", "import", str(write_csv(tmp_path / "bad.csv", rows))])
    assert result.exit_code == 1
    errors = result.stderr
    assert "第4行 [户编号]：户编号「9999」不存在" in errors
    assert "第5行 [与老人关系]：应为 儿子、女儿" in errors
    assert "第5行 [支付日期]：日期应为 YYYY-MM-DD，得到「2020-13-01」" in errors
    assert "第5行 [金额（元）]：金额「-5」不能为负数" in errors
    assert "第6行 [老人身份证号]：王秀英 在 2020-10-01（2020 年重阳节评定月）为 39 周岁" in errors
    assert "未写入任何记录" in errors
    assert not SupportPayment.objects.exists()
