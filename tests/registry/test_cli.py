"""`jingzhun registry import | template | stats`: the command contracts of DESIGN.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jingzhun.cli import app
from jingzhun.registry.models import Household, Region

from .conftest import member, row, write_xlsx

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_import_prints_a_chinese_summary_and_exits_zero(tmp_path: Path, villages: Any) -> None:
    result = runner.invoke(app, ["registry", "import", str(write_xlsx(tmp_path / "h.xlsx", [row("H1"), member("H1")]))])
    assert result.exit_code == 0, result.stderr
    number = Household.objects.get(import_no="H1").household_no
    assert number == "1411020010010001"  # the village's code and its first sequence, not the file's "H1"
    assert result.stdout.strip().splitlines() == [
        f"系统分配户编号：H1 → {number}",
        "导入成功：区域 0 个，户 1 户，人员 2 人，系统分配户编号 1 户。",
    ]


def test_a_bad_file_prints_every_error_and_exits_one(tmp_path: Path, villages: Any) -> None:
    path = write_xlsx(tmp_path / "h.xlsx", [row("H1", 城乡类别="乡下"), member("H1", 性别="男")])
    result = runner.invoke(app, ["registry", "import", str(path)])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("第")]
    assert lines == [
        "第2行 [城乡类别] 「乡下」不是允许的值，可选：农村、城镇 [area]",
        "第3行 [性别] 与身份证号不一致（身份证号中为 女） [sex]",
    ]
    assert "未写入任何数据" in result.stderr
    assert Household.objects.count() == 0


def test_dry_run_writes_nothing(tmp_path: Path, villages: Any) -> None:
    result = runner.invoke(app, ["registry", "import", str(write_xlsx(tmp_path / "h.xlsx", [row("H1")])), "--dry-run"])
    assert result.exit_code == 0 and "试运行" in result.stdout
    assert Household.objects.count() == 0


def test_a_missing_file_exits_one_in_chinese(tmp_path: Path) -> None:
    result = runner.invoke(app, ["registry", "import", str(tmp_path / "nope.xlsx")])
    assert result.exit_code == 1 and "找不到文件：" in result.stderr


def test_stats_json_counts_regions_and_active_households_and_persons(tmp_path: Path, villages: Any) -> None:
    runner.invoke(app, ["registry", "import", str(write_xlsx(tmp_path / "h.xlsx", [row("H1"), member("H1")]))])
    Household.objects.update(active=False)
    runner.invoke(app, ["registry", "import", str(write_xlsx(tmp_path / "h2.xlsx", [row("H2")]))])
    result = runner.invoke(app, ["registry", "stats", "--format", "json"])
    assert result.exit_code == 0
    assert result.stdout.strip() == json.dumps({"regions": Region.objects.count(), "households": 1, "persons": 1})


def test_template_command_writes_the_workbook(tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    result = runner.invoke(app, ["registry", "template", str(out)])
    assert result.exit_code == 0 and out.stat().st_size > 0
    assert str(out) in result.stdout
