"""Importing a hospital's settlement export: all or nothing, 第N行 errors, re-import safe, region checked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from jingzhun.core.actions import Actor
from jingzhun.medical.importer import import_stays
from jingzhun.medical.models import Settlement, Stay

pytestmark = pytest.mark.django_db

HEADER = "住院号,身份证号,医院名称,入院日期,出院日期,总费用,目录内费用,低保或特困,诊断"
TODAY = dt.date(2020, 12, 31)


def _csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "export.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_a_good_file_is_recorded_and_settled_and_a_second_import_writes_nothing(
    tmp_path: Path, household: Any, hospitals: dict[str, Any], county: Actor
) -> None:
    a = household("v11", registered_year=2014).persons.get()
    b = household("v21").persons.get()
    path = _csv(
        tmp_path,
        f"H-1,{a.id_number},离石区人民医院,2018-04-02,2018-04-12,10500,10000,否,肺炎",
        f"H-2,{b.id_number},山西省人民医院,2019-05-05,2019-05-25,20000.00,18000,否,",
    )
    result = import_stays(county, path, today=TODAY)
    assert (result.errors, result.recorded, result.settlements) == ([], 2, 2)
    assert Stay.objects.get(stay_no="H-1").settlements.get().oop_fen == 73600
    assert Stay.objects.get(stay_no="H-2").settlements.get().oop_fen == 908000
    again = import_stays(county, path, today=TODAY)
    assert (again.errors, again.recorded, again.skipped) == ([], 0, 2)
    assert Settlement.objects.count() == 2


def test_every_bad_row_is_named_and_nothing_is_written(
    tmp_path: Path, household: Any, hospitals: dict[str, Any], county: Actor
) -> None:
    a = household("v11").persons.get()
    other_county = household("v91").persons.get()
    path = _csv(
        tmp_path,
        f"G-1,{a.id_number},离石区人民医院,2019-01-01,2019-01-05,100,50,否,",  # good
        f"G-2,{a.id_number},离石区人民医院,2019-02-05,2019-02-01,100,50,否,",  # discharge before admission
        f"G-3,{a.id_number},离石区人民医院,2019-03-01,2019-03-05,100,150,否,",  # in catalogue above total
        f"G-4,{a.id_number},离石区人民医院,2019-03-01,2019-03-05,-100,0,否,",  # negative
        f"G-1,{a.id_number},离石区人民医院,2019-04-01,2019-04-05,100,50,否,",  # same 住院号 twice
        f"G-6,{a.id_number},无名医院,2019-04-01,2019-04-05,100,50,也许,",  # unknown hospital, bad flag
        f"G-7,{other_county.id_number},离石区人民医院,2019-04-01,2019-04-05,100,50,否,",  # another county's patient
        "G-8,141102199901011234,离石区人民医院,2019-04-01,2019-04-05,100,50,否,",  # bad check digit
        "G-9,,离石区人民医院,2019-04-01,2019-04-05,100,50,否,",  # empty ID
    )
    errors = import_stays(county, path, today=TODAY).errors
    text = "\n".join(errors)
    assert "第3行 [出院日期]" in text and "早于入院日期" in text
    assert "第4行 [目录内费用]" in text and "大于总费用" in text
    assert "第5行 [总费用]" in text
    assert "第6行 [住院号]：住院号 G-1 与第2行重复" in text
    assert "第7行 [医院名称]" in text and "第7行 [低保或特困]" in text
    assert "第8行 [身份证号]：该患者不在您的工作区域内" in text
    assert "第9行 [身份证号]：身份证号校验码错误" in text
    assert "第10行 [身份证号]：不能为空" in text
    assert not any(e.startswith("第2行") for e in errors)
    assert not Stay.objects.exists() and not Settlement.objects.exists()


def test_a_stay_on_file_with_other_figures_is_an_error_and_headers_are_checked(
    tmp_path: Path, household: Any, hospitals: dict[str, Any], county: Actor
) -> None:
    a = household("v11").persons.get()
    import_stays(
        county, _csv(tmp_path, f"K-1,{a.id_number},离石区人民医院,2019-01-01,2019-01-05,100,50,否,"), today=TODAY
    )
    changed = _csv(tmp_path, f"K-1,{a.id_number},离石区人民医院,2019-01-01,2019-01-05,200,50,否,")
    assert "第2行 [住院号]：住院号 K-1 已登记且费用或患者不同" in import_stays(county, changed, today=TODAY).errors[0]
    bad = tmp_path / "bad.csv"
    bad.write_text("住院号,身份证,医院名称\nX,1,2\n", encoding="utf-8")
    errors = import_stays(county, bad, today=TODAY).errors
    assert "第1行 [身份证号]：缺少此列" in errors and "第1行 [身份证]：未知的列" in errors


def test_an_xlsx_export_is_read_like_the_csv(
    tmp_path: Path, household: Any, hospitals: dict[str, Any], county: Actor
) -> None:
    from openpyxl import Workbook

    a = household("v11", registered_year=2014).persons.get()
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["X-1", a.id_number, "吕梁市人民医院", "2019-02-01", "2019-02-20", 30000, 28000, "是", ""])
    path = tmp_path / "export.xlsx"
    book.save(path)
    result = import_stays(county, path, today=TODAY)
    assert result.errors == [] and Stay.objects.get().settlements.get().assistance_fen == 75152


def test_only_county_writers_may_import(tmp_path: Path, personas: dict[str, Any], actor: Any, hospitals: Any) -> None:
    for name in ("tom", "victor", "audrey"):
        with pytest.raises(PermissionDenied):
            import_stays(actor(personas[name]), _csv(tmp_path), today=TODAY)
