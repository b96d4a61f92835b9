"""`jingzhun projects import | template | synth`: exit codes, Chinese output, nothing written on error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jingzhun.cli import app
from jingzhun.projects.models import Project
from tests.projects.conftest import more_funds, project_row, write_csv, write_xlsx

runner = CliRunner()


@pytest.mark.django_db
def test_import_prints_a_chinese_summary_and_exits_zero(tmp_path: Path, regions: Any) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", [project_row(), more_funds()])
    result = runner.invoke(app, ["projects", "import", str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "导入成功：项目 1 个，资金 2 笔，共 745,000.50 元。"
    assert Project.objects.get().allocations.count() == 2


@pytest.mark.django_db
def test_a_bad_file_prints_every_error_and_exits_one(tmp_path: Path, regions: Any) -> None:
    path = write_csv(tmp_path / "p.csv", [project_row(年度="2009"), more_funds(amount="-3")])
    result = runner.invoke(app, ["projects", "import", str(path)])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("第")]
    assert [line.split(" ")[:2] for line in lines] == [["第2行", "[年度]"], ["第3行", "[金额（元）]"]]
    assert "未写入任何数据" in result.stderr
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path: Path, regions: Any) -> None:
    result = runner.invoke(
        app, ["projects", "import", str(write_csv(tmp_path / "p.csv", [project_row()])), "--dry-run"]
    )
    assert result.exit_code == 0 and "试运行" in result.stdout
    assert not Project.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("p.csv", "项目编号,项目名称,类型,所在区域代码,年度,状态,资金来源,金额（元）,受益户数,说明\n", "没有数据行"),
        ("p.pdf", "x", "不支持的文件类型"),
        ("missing.csv", None, "找不到文件："),
    ],
)
def test_unreadable_files_exit_one_in_chinese(tmp_path: Path, name: str, content: str | None, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    result = runner.invoke(app, ["projects", "import", str(path)])
    assert result.exit_code == 1 and message in result.stderr


def test_template_refuses_other_suffixes_and_writes_the_headers(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from jingzhun.projects.columns import HEADERS

    assert runner.invoke(app, ["projects", "template", str(tmp_path / "t.csv")]).exit_code == 2
    result = runner.invoke(app, ["projects", "template", str(tmp_path / "t.xlsx")])
    assert result.exit_code == 0
    sheet = load_workbook(tmp_path / "t.xlsx").worksheets[0]
    assert tuple(c.value for c in sheet[1]) == HEADERS


def test_synth_writes_projects_for_a_regions_file(tmp_path: Path) -> None:
    from jingzhun.synth.generate import generate_county

    generate_county("141130", 200, 1, tmp_path)
    result = runner.invoke(
        app, ["projects", "synth", "--regions", str(tmp_path / "regions.csv"), "--out", str(tmp_path / "p.csv")]
    )
    assert result.exit_code == 0, result.stderr
    assert "项目" in result.stdout and (tmp_path / "p.csv").read_text().startswith("项目编号,")
    missing = runner.invoke(app, ["projects", "synth", "--regions", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2


def test_labels_of_the_file_are_the_model_choices() -> None:
    from jingzhun.projects.columns import KINDS, SOURCES, STATUSES
    from jingzhun.projects.models import FundSource, ProjectKind, ProjectStatus

    for labels, choices in ((KINDS, ProjectKind), (STATUSES, ProjectStatus), (SOURCES, FundSource)):
        assert {str(v): k for k, v in labels.items()} == dict(choices.choices)
