"""`jingzhun crosscheck import | run` as typed (typer's CliRunner): DESIGN.md's contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jingzhun.cli import app
from jingzhun.core.models import AuditEvent
from jingzhun.monitoring.models.crosscheck import DeptList, DeptRow, Suspect

from .conftest import head, write_list

pytestmark = pytest.mark.django_db
runner = CliRunner()


def _vehicle_list(tmp_path: Path, world: dict[str, Any]) -> Path:
    own, other = head(world["own"]), head(world["sibling_village"])
    return write_list(
        tmp_path / "vehicle.csv",
        [
            {"姓名": own.name, "身份证号": own.id_number, "购置价格": "68000"},  # exact on the ID
            {"姓名": other.name, "身份证号": "", "出生日期": other.birth_date.isoformat(), "村代码": "141102001002"},
            {"姓名": "不在册", "身份证号": "", "出生日期": "1970-01-01", "村代码": "141102001001"},
        ],
        headers=("姓名", "身份证号", "出生日期", "村代码", "购置价格"),
    )


def test_import_writes_a_dated_snapshot_with_evidence(tmp_path: Path, world: dict[str, Any]) -> None:
    path = _vehicle_list(tmp_path, world)
    result = runner.invoke(app, ["crosscheck", "import", str(path), "--source", "vehicle", "--as-of", "2020-06-30"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "导入成功：车辆名单 3 行（填有身份证号 1 行），截至 2020-06-30。"
    snapshot = DeptList.objects.get()
    assert (snapshot.source, snapshot.as_of.isoformat(), snapshot.row_count) == ("vehicle", "2020-06-30", 3)
    first = DeptRow.objects.get(dept_list=snapshot, row=2)
    assert first.evidence == {"购置价格": "68000"}
    assert AuditEvent.objects.filter(action="crosscheck.import_list").count() == 1
    again = runner.invoke(app, ["crosscheck", "import", str(path), "--source", "vehicle", "--as-of", "2020-06-30"])
    assert again.exit_code == 0
    assert "此前已导入，未重复写入" in again.stdout
    assert DeptList.objects.count() == 1 and DeptRow.objects.count() == 3


def test_a_bad_list_names_every_row_and_writes_nothing(tmp_path: Path, world: dict[str, Any]) -> None:
    path = write_list(
        tmp_path / "death.csv",
        [
            {"姓名": "刘保平", "身份证号": "1.41102E+17"},
            {"姓名": "", "身份证号": "", "出生日期": "1950-01-01"},
            {"姓名": "王秀英", "身份证号": "", "出生日期": "去年", "村代码": "1411"},
            {"姓名": "<script>", "身份证号": "", "出生日期": "1950-01-01"},
        ],
    )
    result = runner.invoke(app, ["crosscheck", "import", str(path), "--source", "death", "--as-of", "2020-06-30"])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("第")]
    assert [line.split(" ")[0:2] for line in lines] == [
        ["第2行", "[身份证号]"],
        ["第3行", "[姓名]"],
        ["第4行", "[出生日期]"],
        ["第4行", "[村代码]"],
        ["第5行", "[姓名]"],
    ]
    assert "未写入任何数据" in result.stderr
    assert DeptList.objects.count() == 0 and DeptRow.objects.count() == 0


def test_missing_column_unknown_source_and_bad_date_exit_two(tmp_path: Path, world: dict[str, Any]) -> None:
    no_id = write_list(tmp_path / "x.csv", [{"姓名": "刘保平"}], headers=("姓名",))
    result = runner.invoke(app, ["crosscheck", "import", str(no_id), "--source", "death", "--as-of", "2020-06-30"])
    assert result.exit_code == 2 and "第1行 [身份证号]" in result.stderr
    result = runner.invoke(app, ["crosscheck", "import", str(no_id), "--source", "cars", "--as-of", "2020-06-30"])
    assert result.exit_code == 2 and "未知的名单类别" in result.stderr
    result = runner.invoke(app, ["crosscheck", "import", str(no_id), "--source", "death", "--as-of", "2020-13-01"])
    assert result.exit_code == 2 and "[--as-of]" in result.stderr
    assert DeptList.objects.count() == 0


def test_dry_run_validates_only(tmp_path: Path, world: dict[str, Any]) -> None:
    path = _vehicle_list(tmp_path, world)
    args = ["crosscheck", "import", str(path), "--source", "vehicle", "--as-of", "2020-06-30", "--dry-run"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("检查通过（试运行，未写入）：车辆名单 3 行")
    assert DeptList.objects.count() == 0


def test_run_prints_the_hits_and_is_idempotent(tmp_path: Path, world: dict[str, Any]) -> None:
    path = _vehicle_list(tmp_path, world)
    assert (
        runner.invoke(
            app, ["crosscheck", "import", str(path), "--source", "vehicle", "--as-of", "2020-06-30"]
        ).exit_code
        == 0
    )
    result = runner.invoke(app, ["crosscheck", "run", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    hits = json.loads(result.stdout)["hits"]
    own = head(world["own"])
    assert hits[0] == {
        "source": "vehicle",
        "row": 2,
        "household_no": world["own"].household_no,
        "id_number": own.id_number,
        "match": "exact",
        "weight": 1.0,
    }
    assert [h["row"] for h in hits] == sorted({h["row"] for h in hits})  # each row at most one person
    assert 4 not in [h["row"] for h in hits]  # not on the registry
    first = Suspect.objects.count()
    assert first == len(hits)
    again = runner.invoke(app, ["crosscheck", "run", "--format", "json"])
    assert json.loads(again.stdout)["hits"] == hits
    assert Suspect.objects.count() == first


def test_run_source_filter(tmp_path: Path, world: dict[str, Any]) -> None:
    path = _vehicle_list(tmp_path, world)
    runner.invoke(app, ["crosscheck", "import", str(path), "--source", "vehicle", "--as-of", "2020-06-30"])
    result = runner.invoke(app, ["crosscheck", "run", "--source", "death", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == {"hits": []}
    assert runner.invoke(app, ["crosscheck", "run", "--source", "nope"]).exit_code == 2


def test_an_xlsx_whose_id_excel_made_a_number_is_refused(tmp_path: Path, world: dict[str, Any]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "号牌号码"])
    sheet.append(["刘保平", 141102194003020030, "晋J12345"])
    sheet.append(["王秀英", "", "晋J54321"])
    path = tmp_path / "vehicle.xlsx"
    book.save(path)
    result = runner.invoke(app, ["crosscheck", "import", str(path), "--source", "vehicle", "--as-of", "2020-06-30"])
    assert result.exit_code == 2
    assert "第2行 [身份证号] 身份证号被 Excel 存成了数字" in result.stderr
    assert DeptList.objects.count() == 0


@pytest.mark.slow
def test_run_on_spark_gives_the_duckdb_hits(spark: Any, tmp_path: Path, world: dict[str, Any]) -> None:
    """`crosscheck run --engine spark` (the session is the test process's; the command reuses it)."""
    path = _vehicle_list(tmp_path, world)
    assert (
        runner.invoke(
            app, ["crosscheck", "import", str(path), "--source", "vehicle", "--as-of", "2020-06-30"]
        ).exit_code
        == 0
    )
    on_spark = runner.invoke(
        app, ["crosscheck", "run", "--format", "json", "--engine", "spark", "--master", "local[2]"]
    )
    assert on_spark.exit_code == 0, on_spark.stderr
    hits = json.loads(on_spark.stdout)["hits"]
    assert hits and Suspect.objects.count() == len(hits)
    on_duckdb = runner.invoke(app, ["crosscheck", "run", "--format", "json"])
    assert json.loads(on_duckdb.stdout)["hits"] == hits
    refused = runner.invoke(app, ["crosscheck", "run", "--master", "local[2]"])
    assert refused.exit_code == 2 and "--master] 需要 --engine spark" in refused.stderr
