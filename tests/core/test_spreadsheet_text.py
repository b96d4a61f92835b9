"""A cell that a spreadsheet would run as a formula is written as text; numbers stay numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from jingzhun.core.spreadsheet_text import csv_cell, formula_like, text_cells

ATTACKS = [
    '=HYPERLINK("http://x","点我")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",  # full-width, which some programs fold to "="
    "-",
    "+",
]
PLAIN = ["张三", "低保补差", "515.30", "-30.00", "+12", "0", "2020-06", "", "JZ000001", "王-五"]


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_like_text_gets_a_quote_in_csv(text: str) -> None:
    assert formula_like(text)
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_and_numbers_written_as_text_are_left_alone(text: str) -> None:
    assert not formula_like(text)
    assert csv_cell(text) == text


@pytest.mark.parametrize("value", [12, -3, 1.5, None, True])
def test_values_that_are_not_text_pass_untouched(value: object) -> None:
    assert csv_cell(value) == value


def test_an_xlsx_sheet_keeps_the_text_and_numbers_but_no_formula(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append([*ATTACKS, -30.5, 7, "张三"])
    text_cells(sheet)
    book.save(tmp_path / "x.xlsx")
    cells = next(load_workbook(tmp_path / "x.xlsx").active.iter_rows())
    assert [c.data_type for c in cells[: len(ATTACKS)]] == ["s"] * len(ATTACKS)
    assert all(c.quotePrefix for c in cells[: len(ATTACKS)])
    # openpyxl keeps a carriage return as _x000D_ in the XML and reads it back as "\n"
    assert [c.value for c in cells] == [*[a.replace("\r", "\n") for a in ATTACKS], -30.5, 7, "张三"]
    assert [c.data_type for c in cells[-3:]] == ["n", "n", "s"]
