"""`jingzhun medical import FILE [--dry-run]` as typed: all or nothing, `第N行` errors on stderr and exit 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jingzhun.cli import app
from jingzhun.medical.models import Settlement, Stay

pytestmark = pytest.mark.django_db
runner = CliRunner()

HEADER = "住院号,身份证号,医院名称,入院日期,出院日期,总费用,目录内费用,低保或特困,诊断"


def _csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "出院结算.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_a_good_file_is_recorded_and_settled_and_importing_it_again_writes_nothing(
    tmp_path: Path, household: Any, hospitals: dict[str, Any]
) -> None:
    a = household("v11", registered_year=2014).persons.get()
    b = household("v21").persons.get()
    path = _csv(
        tmp_path,
        # the March stay comes after the June one in the file: the person's year is settled in discharge order
        f"C-2,{a.id_number},离石区人民医院,2019-05-20,2019-06-01,40000,40000,否,肺炎",
        f"C-1,{a.id_number},离石区人民医院,2019-02-20,2019-03-01,40000,40000,否,肺炎",
        f"C-3,{b.id_number},山西省人民医院,2019-05-05,2019-05-25,20000.00,18000,否,",
    )
    result = runner.invoke(app, ["medical", "import", str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "导入成功：登记住院 3 条（已登记跳过 0 条），结算 3 条，调整 0 条。"
    # the shared case S4b: the June stay, second in the year, reaches 大病保险 and "136"
    june = Stay.objects.get(stay_no="C-2").settlements.get()
    assert (june.serious_fen, june.cap136_fen, june.oop_fen) == (201600, 26880, 16400)
    again = runner.invoke(app, ["medical", "import", str(path)])
    assert again.exit_code == 0, again.stderr
    assert "登记住院 0 条（已登记跳过 3 条）" in again.stdout
    assert Settlement.objects.count() == 3


def test_a_bad_file_names_every_row_exits_one_and_writes_nothing(
    tmp_path: Path, household: Any, hospitals: dict[str, Any]
) -> None:
    a = household("v11").persons.get()
    path = _csv(
        tmp_path,
        f"G-1,{a.id_number},离石区人民医院,2019-01-01,2019-01-05,100,50,否,",  # good
        f"G-2,{a.id_number},离石区人民医院,2019-02-05,2019-02-01,100,50,否,",  # discharge before admission
        f"G-3,{a.id_number},离石区人民医院,2019-03-01,2019-03-05,100,150,否,",  # in catalogue above total
        f"G-1,{a.id_number},无名医院,2019-04-01,2019-04-05,-1,0,否,",  # same 住院号, unknown hospital, negative
    )
    result = runner.invoke(app, ["medical", "import", str(path)])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("第")]
    assert [line.split(" ", 1)[0] for line in lines] == ["第3行", "第4行", "第5行", "第5行", "第5行"]
    assert any("[出院日期]" in line for line in lines if line.startswith("第3行"))
    assert any("[目录内费用]" in line for line in lines if line.startswith("第4行"))
    assert {"[住院号]", "[医院名称]", "[总费用]"} <= {line.split(" ")[1].split("：")[0] for line in lines[2:]}
    assert "未写入任何数据" in result.stderr and result.stdout == ""
    assert not Stay.objects.exists() and not Settlement.objects.exists()


def test_dry_run_checks_and_writes_nothing(tmp_path: Path, household: Any, hospitals: dict[str, Any]) -> None:
    a = household("v11").persons.get()
    path = _csv(tmp_path, f"D-1,{a.id_number},离石区人民医院,2019-01-01,2019-01-05,100,50,否,")
    result = runner.invoke(app, ["medical", "import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.stderr
    assert "试运行" in result.stdout and "将登记住院 1 条" in result.stdout
    assert not Stay.objects.exists()


def test_a_missing_file_exits_one_in_chinese(tmp_path: Path) -> None:
    result = runner.invoke(app, ["medical", "import", str(tmp_path / "nope.csv")])
    assert result.exit_code == 1 and "找不到文件" in result.stderr
