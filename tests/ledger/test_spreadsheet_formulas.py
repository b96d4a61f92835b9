"""Names and region names in the bank file and the 月通报 reach Excel as text, never as a formula (issue #11)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.ledger.cli import jingzhun

pytestmark = pytest.mark.django_db
LINK = '=HYPERLINK("http://x","点我")'
CALC = "=cmd|' /C calc'!A0"


@pytest.fixture
def poisoned(county: dict[str, Any]) -> dict[str, Any]:
    """The first household's head is named like a formula, its bank like another; its village too."""
    household = county["households"][0]
    household.persons.update(name=LINK)
    type(household).objects.filter(pk=household.pk).update(bank_name="@SUM(1+1)")
    county["v11"].__class__.objects.filter(pk=county["v11"].pk).update(name=CALC)
    jingzhun("run-month", "2020-06")
    return county


def cells(path: Path) -> list[Any]:
    return [cell for sheet in load_workbook(path).worksheets for row in sheet.iter_rows() for cell in row]


def test_a_formula_named_person_is_plain_text_in_the_xlsx_bank_file(poisoned: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "bank.xlsx"
    assert jingzhun("ledger", "bank-file", "2020-06", "--out", str(out)).exit_code == 0
    written = cells(out)
    assert not [c.coordinate for c in written if c.data_type == "f"]
    by_value = {c.value: c for c in written}
    assert by_value[LINK].data_type == "s" and by_value["@SUM(1+1)"].data_type == "s"
    amounts = [c.value for c in load_workbook(out)["代发明细"]["H"][1:]]
    assert all(isinstance(v, float) for v in amounts)  # money stays numeric


def test_a_formula_named_person_gets_a_quote_in_the_csv_bank_file(poisoned: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "bank.csv"
    assert jingzhun("ledger", "bank-file", "2020-06", "--out", str(out)).exit_code == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    row = next(r for r in table if r and r[2] == poisoned["households"][0].household_no)
    assert row[5] == "'" + LINK and row[3] == "'@SUM(1+1)"
    assert row[7] == "515.30"
    assert not [c for r in table for c in r if c[:1] in ("=", "+", "@")]


def test_a_formula_named_village_is_plain_text_in_the_month_report(poisoned: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    assert jingzhun("report", "month", "2020-06", "--out", str(out)).exit_code == 0
    written = cells(out)
    assert not [c.coordinate for c in written if c.data_type == "f"]
    villages = [c for c in written if c.value == CALC]
    assert villages and all(c.data_type == "s" for c in villages)
