"""The import template: headers from the contract, drop-downs, a 说明 sheet, and an example that imports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from jingzhun.core.actions import Actor
from jingzhun.registry import columns as c
from jingzhun.registry.importer import import_file
from jingzhun.registry.models import Household, IncomeRecord, Person
from jingzhun.registry.template import DATA_SHEET, EXAMPLE_NO, HELP_SHEET, write_template

from .conftest import VILLAGE, id_for


def test_template_has_the_contract_headers_and_a_help_line_per_column(tmp_path: Path) -> None:
    book = load_workbook(write_template(tmp_path / "模板.xlsx"))
    assert book.sheetnames == [DATA_SHEET, HELP_SHEET]
    assert tuple(cell.value for cell in book[DATA_SHEET][1]) == c.HEADERS
    help_rows = {r[0]: r for r in book[HELP_SHEET].iter_rows(values_only=True) if r[0] in c.BY_HEADER}
    assert help_rows["城乡类别"][1:5] == ("area", "户", "是（户主行）", "农村、城镇")
    assert help_rows["姓名"][3] == "是" and help_rows["慢性病"][3] == "否"


def test_template_offers_a_drop_down_on_every_choice_and_yes_no_column(tmp_path: Path) -> None:
    from openpyxl.utils import get_column_letter

    sheet = load_workbook(write_template(tmp_path / "t.xlsx"))[DATA_SHEET]
    by_column = {str(dv.sqref).split(":")[0].rstrip("2"): dv.formula1 for dv in sheet.data_validations.dataValidation}
    for i, col in enumerate(c.COLUMNS, start=1):
        expected = f'"{",".join(col.choices)}"' if col.kind in ("enum", "bool") else None
        assert by_column.get(get_column_letter(i)) == expected, col.header
    assert by_column["D"] == '"农村,城镇"'


@pytest.mark.django_db
def test_the_filled_in_template_imports(tmp_path: Path, villages: Any) -> None:
    path = write_template(tmp_path / "t.xlsx", village_code=VILLAGE)
    book = load_workbook(path)
    sheet = book[DATA_SHEET]
    headers = [cell.value for cell in sheet[1]]
    added = {"户编号": EXAMPLE_NO, "姓名": "张小红", "与户主关系": "子女", "性别": "女", "出生日期": "1988-04-02"}
    import datetime as dt

    added["身份证号"] = id_for(dt.date(1988, 4, 2), "F")
    added |= {"自理能力": "全自理", "劳动能力": "有劳动力", "在校情况": "非在校", "参加基本医保": "是"}
    added |= {"有赡养能力的法定义务人": "否", "收入年度": 2019, "工资性收入": "15000"}
    sheet.append([added.get(h) for h in headers])
    book.save(path)
    report = import_file(path, actor=Actor.system("test"))
    assert report.written, report.error_lines()
    household = Household.objects.get(import_no=EXAMPLE_NO)
    assert household.persons.count() == 4
    assert Person.objects.get(name="张建国").disability_grade == 2
    assert IncomeRecord.objects.get(person__name="李秀英").transfer_fen == 60050
