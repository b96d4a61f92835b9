"""`jingzhun pv import | template | report` as typed: exit 0 / 1 / 2, 第N行 [列] errors, all or nothing."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jingzhun.cli import app
from jingzhun.projects.pv_import import HEADERS
from tests.projects.conftest import write_csv, write_xlsx

runner = CliRunner()
pytestmark = pytest.mark.django_db


def row(**cells: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "村代码": "141102001001",
        "电站名称": "信义村光伏电站",
        "装机容量（千瓦）": 300,
        "建成年份": 2016,
        "年度": 2018,
        "发电量（千瓦时）": 662000,
        "收益（元）": "217000",
    }
    return {**base, **cells}


def test_import_creates_stations_and_years_and_says_so(tmp_path: Path, regions: Any) -> None:
    from jingzhun.core.models import AuditEvent
    from jingzhun.projects.models import PvStation, PvYear

    rows = [
        row(),
        {
            **row(),
            "装机容量（千瓦）": None,
            "建成年份": None,
            "年度": 2019,
            "发电量（千瓦时）": 650000,
            "收益（元）": "200000.5",
        },
        row(
            村代码="141102001002",
            电站名称="歧道村电站",
            年度=None,
            **{"装机容量（千瓦）": "100.5", "发电量（千瓦时）": None, "收益（元）": None},
        ),
    ]
    result = runner.invoke(app, ["pv", "import", str(write_xlsx(tmp_path / "pv.xlsx", rows, HEADERS))])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "导入成功：新电站 2 个，年度收益 2 条，共 417,000.50 元。"
    assert sorted(PvStation.objects.values_list("name", "capacity_kw")) == [
        ("信义村光伏电站", Decimal("300.00")),
        ("歧道村电站", Decimal("100.50")),
    ]
    assert sorted(PvYear.objects.values_list("year", "revenue_fen")) == [(2018, 21_700_000), (2019, 20_000_050)]
    assert AuditEvent.objects.filter(action="projects.create_pv_station").count() == 2


def test_a_bad_file_lists_every_bad_row_and_writes_nothing(tmp_path: Path, regions: Any) -> None:
    from jingzhun.core.models import AuditEvent
    from jingzhun.projects.models import PvStation, PvYear

    rows = [
        row(),  # fine on its own
        row(年度=2018),  # the same year again
        row(电站名称="新电站", **{"装机容量（千瓦）": None}),
        row(村代码="141130001001", 电站名称="水头村电站", **{"收益（元）": "-1"}),
        row(电站名称="另一电站", **{"发电量（千瓦时）": None}),
        row(村代码="999999999999", 电站名称="无此村"),
        row(电站名称="信义村光伏电站", **{"装机容量（千瓦）": 250, "年度": 2020}),
    ]
    result = runner.invoke(app, ["pv", "import", str(write_csv(tmp_path / "pv.csv", rows, HEADERS))])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("第")]
    assert [line.split(" ")[:2] for line in lines] == [
        ["第3行", "[年度]"],
        ["第4行", "[装机容量（千瓦）]"],
        ["第5行", "[收益（元）]"],
        ["第6行", "[年度]"],
        ["第7行", "[村代码]"],
        ["第8行", "[装机容量（千瓦）]"],
    ]
    assert "2018 年的收益已登记" in lines[0] and "不能为负数" in lines[2] and "与已登记" in lines[5]
    assert "导入失败：发现 6 处错误，未写入任何数据。" in result.stderr
    assert not PvStation.objects.exists() and not PvYear.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="projects.").exists()


def test_dry_run_checks_everything_and_writes_nothing(tmp_path: Path, regions: Any) -> None:
    from jingzhun.projects.models import PvStation

    path = write_csv(tmp_path / "pv.csv", [row()], HEADERS)
    result = runner.invoke(app, ["pv", "import", str(path), "--dry-run"])
    assert result.exit_code == 0 and "检查通过（试运行，未写入）：新电站 1 个" in result.stdout
    assert not PvStation.objects.exists()


def test_missing_columns_and_unreadable_files_exit_one(tmp_path: Path, regions: Any) -> None:
    short = write_csv(tmp_path / "short.csv", [row()], HEADERS[:-1])
    result = runner.invoke(app, ["pv", "import", str(short)])
    assert result.exit_code == 1 and "第1行 [收益（元）] 缺少列「收益（元）」" in result.stderr
    result = runner.invoke(app, ["pv", "import", str(tmp_path / "none.xlsx")])
    assert result.exit_code == 1 and "找不到文件：" in result.stderr


def test_the_template_imports_as_it_is(tmp_path: Path, regions: Any) -> None:
    assert runner.invoke(app, ["pv", "template", str(tmp_path / "t.csv")]).exit_code == 2
    assert runner.invoke(app, ["pv", "template", str(tmp_path / "t.xlsx")]).exit_code == 0
    result = runner.invoke(app, ["pv", "import", str(tmp_path / "t.xlsx"), "--dry-run"])
    assert result.exit_code == 0, result.stderr


def test_report_gives_the_years_revenue_and_distribution_by_village(tmp_path: Path, regions: Any) -> None:
    from jingzhun.core.actions import Actor
    from jingzhun.projects import pv_actions as pv

    rows = [row(), row(村代码="141102002001", 电站名称="吴城村电站", 年度=2019, **{"收益（元）": "1000"})]
    assert runner.invoke(app, ["pv", "import", str(write_csv(tmp_path / "pv.csv", rows, HEADERS))]).exit_code == 0
    pv.distribute(
        Actor.system("test"),
        village_code="141102001001",
        year=2018,
        lines=[{"use": "small_public_works", "amount_fen": 10_000_000, "payee": "村委会"}],
    )
    result = runner.invoke(app, ["pv", "report", "--year", "2018", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert [v["village"] for v in report["villages"]] == ["141102001001", "141102002001"]
    first, second = report["villages"]
    assert (first["revenue"], first["distributed"]["small_public_works"], first["undistributed"]) == (
        "217000.00",
        "100000.00",
        "117000.00",
    )
    assert (second["revenue"], second["undistributed"]) == ("0.00", "1000.00")  # its revenue is 2019's
    one = runner.invoke(app, ["pv", "report", "--year", "2018", "--village", "141102001001"])
    assert one.exit_code == 0 and "217,000.00" in one.stdout and "吴城村" not in one.stdout
    assert "2018 年：1 个村有光伏电站，当年收益合计 217,000.00 元。" in one.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--year", "18"], 2, "[--year]"),
        (["--year", "2018", "--format", "pdf"], 2, "[--format]"),
        (["--year", "2018", "--village", "141102009009"], 1, "不存在"),
    ],
)
def test_report_refuses_bad_options(regions: Any, args: list[str], code: int, message: str) -> None:
    result = runner.invoke(app, ["pv", "report", *args])
    assert result.exit_code == code and message in result.stderr
