"""`jingzhun points import | statement` as typed: earnings and goods by file, all or nothing and never below
zero; a village's monthly statement as a table, an .xlsx and a PDF with the CJK font embedded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jingzhun.cli import app
from jingzhun.projects.points_files import HEADERS
from tests.projects.conftest import write_csv, write_xlsx

runner = CliRunner()
pytestmark = pytest.mark.django_db
HOME = "1411020010010001"  # 刘保平, 信义村


def earn(day: str, activity: str = "评为文明户", count: Any = None, no: str = HOME) -> dict[str, Any]:
    return {"户编号": no, "日期": day, "活动": activity, "次数": count}


def spend(day: str, points: Any, goods: str = "食用油一桶", no: str = HOME) -> dict[str, Any]:
    return {"户编号": no, "日期": day, "兑换积分": points, "兑换物品": goods}


def test_import_earns_and_spends_whatever_the_row_order(tmp_path: Path, world: dict[str, Any]) -> None:
    from jingzhun.projects.points_actions import balance

    rows = [
        spend("2020-06-12", 30),
        earn("2020-05-20"),
        earn("2020-06-03", "群众讲政策"),
        earn("2020-06-09", "sanitation", 2),
    ]
    result = runner.invoke(app, ["points", "import", str(write_xlsx(tmp_path / "p.xlsx", rows, HEADERS))])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "导入成功：得分 3 条共 65 分，兑换 1 条共 30 分。"
    assert balance(world["own"]) == 35


def test_a_file_that_would_overdraw_or_is_wrong_writes_nothing(tmp_path: Path, world: dict[str, Any]) -> None:
    from jingzhun.core.models import AuditEvent
    from jingzhun.projects.models import PointsEntry

    rows = [
        earn("2020-05-20"),  # 50
        spend("2020-05-10", 10),  # before anything was earned
        spend("2020-06-12", 45),  # 50 − 45 = 5 left
        spend("2020-06-13", 6),  # overdraws by 1
        earn("2020-06-01", "打扫卫生"),
        earn("2020/06/01"),
        {"户编号": "1411020010019999", "日期": "2020-06-01", "活动": "群众讲政策"},
        {"户编号": HOME, "日期": "2020-06-01", "活动": "群众讲政策", "兑换积分": "5", "兑换物品": "盐"},
    ]
    result = runner.invoke(app, ["points", "import", str(write_csv(tmp_path / "p.csv", rows, HEADERS))])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("第")]
    assert [line.split(" ")[:2] for line in lines] == [
        ["第3行", "[兑换积分]"],
        ["第5行", "[兑换积分]"],
        ["第6行", "[活动]"],
        ["第7行", "[日期]"],
        ["第8行", "[户编号]"],
        ["第9行", "[活动]"],
    ]
    assert "积分不足" in lines[0] and "积分不足" in lines[1] and "不在户籍档案中" in lines[4]
    assert not PointsEntry.objects.exists() and not AuditEvent.objects.filter(action__endswith="_points").exists()


def test_dry_run_writes_nothing(tmp_path: Path, world: dict[str, Any]) -> None:
    from jingzhun.projects.models import PointsEntry

    path = write_csv(tmp_path / "p.csv", [earn("2020-05-20")], HEADERS)
    result = runner.invoke(app, ["points", "import", str(path), "--dry-run"])
    assert result.exit_code == 0 and "检查通过（试运行，未写入）：得分 1 条共 50 分" in result.stdout
    assert not PointsEntry.objects.exists()


@pytest.fixture
def june(tmp_path: Path, world: dict[str, Any]) -> None:
    rows = [
        earn("2020-05-20"),
        earn("2020-06-03", "群众讲政策"),
        spend("2020-06-12", 30),
        earn("2020-06-05", no="1411020010010002"),
    ]
    assert runner.invoke(app, ["points", "import", str(write_csv(tmp_path / "p.csv", rows, HEADERS))]).exit_code == 0


@pytest.mark.usefixtures("june")
def test_the_village_statement_as_a_table_and_a_workbook(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    result = runner.invoke(app, ["points", "statement", "--village", "141102001001", "--month", "2020-06"])
    assert result.exit_code == 0, result.stderr
    assert f"{HOME}  刘保平  50  5  30  25" in result.stdout
    assert "1411020010010002  孙有福  0  50  0  50" in result.stdout
    assert "信义村 2020-06：2 户有积分记录。" in result.stdout
    out = tmp_path / "s.xlsx"
    result = runner.invoke(
        app, ["points", "statement", "--village", "141102001001", "--month", "2020-06", "--out", str(out)]
    )
    assert result.exit_code == 0
    book = load_workbook(out)
    summary = [[c.value for c in row] for row in book["对账单"].iter_rows(min_row=3)]
    assert summary[0] == [HOME, "刘保平", 50, 5, 30, 25]
    details = [[c.value for c in row] for row in book["明细"].iter_rows(min_row=2)]
    assert details[:2] == [[HOME, "2020-06-03", "群众讲政策", 5, 55], [HOME, "2020-06-12", "兑换：食用油一桶", -30, 25]]


@pytest.mark.usefixtures("june")
def test_the_village_statement_as_a_pdf_embeds_the_font(tmp_path: Path) -> None:
    out = tmp_path / "s.pdf"
    result = runner.invoke(
        app, ["points", "statement", "--village", "141102001001", "--month", "2020-06", "--out", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and b"/FontFile2" in data


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--village", "141102001001", "--month", "2020-6"], 2, "[--month]"),
        (["--village", "141102001001", "--month", "2020-06", "--out", "s.docx"], 2, "[--out]"),
        (["--village", "141102009009", "--month", "2020-06"], 1, "不存在"),
    ],
)
def test_statement_refuses_bad_options(world: dict[str, Any], args: list[str], code: int, message: str) -> None:
    result = runner.invoke(app, ["points", "statement", *args])
    assert result.exit_code == code and message in result.stderr
