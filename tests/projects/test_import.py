"""`jingzhun projects import`: all or nothing, every bad cell as 第N行 [列] 消息, nothing written on error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.projects.importer import import_file
from jingzhun.projects.models import FundAllocation, Project
from tests.projects.conftest import more_funds, project_row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def _nothing_written() -> None:
    assert not Project.objects.exists()
    assert not FundAllocation.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="projects.").exists()


def _errors(tmp_path: Path, rows: list[dict[str, Any]], actor: Actor | None = None) -> list[str]:
    report = import_file(write_csv(tmp_path / "p.csv", rows), actor=actor or Actor.system("test"))
    assert not report.written
    _nothing_written()
    return report.error_lines()


@pytest.mark.usefixtures("regions")
@pytest.mark.parametrize("writer", [write_csv, write_xlsx])
def test_a_clean_file_writes_projects_and_funds_with_one_audit_row(tmp_path: Path, writer: Callable[..., Path]) -> None:
    rows = [
        project_row(),
        more_funds(),
        project_row(
            "2020-002",
            项目名称="信义镇集中安置点",
            类型="易地搬迁",
            所在区域代码="141102001000",
            状态="在建",
            资金来源="自筹",
            金额="30000",
            受益户数="",
            说明="",
        ),
    ]
    path = writer(tmp_path / f"p.{'csv' if writer is write_csv else 'xlsx'}", rows)
    report = import_file(path, actor=Actor.system("test"))
    assert report.error_lines() == []
    assert (report.written, report.projects, report.allocations, report.amount_fen) == (True, 2, 3, 775_000_50)
    pv = Project.objects.get(code="2019-001")
    assert (pv.kind, pv.region.code, pv.year, pv.status, pv.beneficiary_households) == (
        "pv",
        "141102001001",
        2019,
        "accepted",
        66,
    )
    assert sorted(pv.allocations.values_list("source", "amount_fen")) == [
        ("central", 500_000_00),
        ("integrated", 245_000_50),
    ]
    relocation = Project.objects.get(code="2020-002")
    assert (relocation.kind, relocation.status, relocation.beneficiary_households) == ("relocation", "building", 0)
    assert list(relocation.allocations.values_list("source", flat=True)) == ["self_raised"]
    event = AuditEvent.objects.get(action__startswith="projects.")
    assert event.action == "projects.import"
    assert event.after["projects"] == 2 and event.after["amount_fen"] == 775_000_50


@pytest.mark.usefixtures("regions")
def test_dry_run_checks_and_writes_nothing(tmp_path: Path) -> None:
    report = import_file(
        write_csv(tmp_path / "p.csv", [project_row(), more_funds()]), actor=Actor.system(), dry_run=True
    )
    assert report.ok and not report.written
    assert report.summary() == "检查通过（试运行，未写入）：项目 1 个，资金 2 笔，共 745,000.50 元。"
    _nothing_written()


@pytest.mark.usefixtures("regions")
@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([project_row(所在区域代码="141102009009")], "第2行 [所在区域代码] 区域 141102009009 在系统中不存在 [region]"),
        (
            [project_row(所在区域代码="1411")],
            "第2行 [所在区域代码] 「1411」应为 6 位县代码或 12 位乡镇、村代码 [region]",
        ),
        ([project_row(所在区域代码="140000")], "第2行 [所在区域代码] 140000 不是县、乡镇或村 [region]"),
        (
            [project_row(类型="赌场")],
            "第2行 [类型] 「赌场」不是允许的值，可选：产业扶贫、光伏扶贫、基础设施、易地扶贫搬迁、"
            "危房改造、教育扶贫、健康扶贫、就业扶贫、金融扶贫 [kind]",
        ),
        ([project_row(状态="想想")], "第2行 [状态] 「想想」不是允许的值，可选：计划、在建、完工、已验收 [status]"),
        (
            [project_row(资金来源="彩票")],
            "第2行 [资金来源] 「彩票」不是允许的值，可选：中央财政专项、省级财政专项、市级财政专项、"
            "县级财政专项、整合涉农资金、社会帮扶、群众自筹 [source]",
        ),
        ([project_row(), more_funds(amount="-100")], "第3行 [金额（元）] 「-100」不能为负数 [amount]"),
        ([project_row(金额="五万")], "第2行 [金额（元）] 「五万」不是数字 [amount]"),
        ([project_row(金额="12.345")], "第2行 [金额（元）] 「12.345」最多两位小数 [amount]"),
        ([project_row(金额="0")], "第2行 [金额（元）] 金额须大于 0 [amount]"),
        ([project_row(金额="")], "第2行 [金额（元）] 资金来源和金额须同时填写（没有资金的项目两列都不填） [amount]"),
        ([project_row(年度="2009")], "第2行 [年度] 2009 超出范围（应在 2013–"),
        ([project_row(年度="明年")], "第2行 [年度] 「明年」不是整数 [year]"),
        ([project_row(受益户数="很多")], "第2行 [受益户数] 「很多」不是整数 [beneficiary_households]"),
        ([project_row(项目名称="")], "第2行 [项目名称] 必填（项目的第一行） [name]"),
        ([project_row(项目编号="")], "第2行 [项目编号] 必填 [code]"),
        (
            [project_row(), more_funds(项目名称="别的项目")],
            "第3行 [项目名称] 与第2行（同一项目编号 2019-001）不一致：「别的项目」≠「信义村光伏扶贫电站」 [name]",
        ),
    ],
)
def test_each_kind_of_bad_cell_is_reported_and_nothing_is_written(
    tmp_path: Path, rows: list[dict[str, Any]], expected: str
) -> None:
    errors = _errors(tmp_path, [*rows, project_row("OK-1")])
    assert len(errors) == 1, errors
    assert errors[0].startswith(expected)


def test_a_code_already_in_the_system_is_refused(tmp_path: Path, make_project: Callable[..., Any]) -> None:
    make_project("2019-001", "141102001001")
    report = import_file(write_csv(tmp_path / "p.csv", [project_row(), project_row("2019-002")]), actor=Actor.system())
    assert report.error_lines() == ["第2行 [项目编号] 项目编号 2019-001 已存在于系统中 [code]"]
    assert list(Project.objects.values_list("code", flat=True)) == ["2019-001"]
    assert not FundAllocation.objects.exists()


def test_a_region_outside_the_importer_scope_is_refused(tmp_path: Path, actors: dict[str, Actor]) -> None:
    rows = [project_row(), project_row("2019-002", 所在区域代码="141102001002")]
    errors = _errors(tmp_path, rows, actors["victor"])
    assert errors == ["第3行 [所在区域代码] 无权导入 141102001002 的项目（超出本账号的工作区域） [region]"]


def test_every_error_of_a_file_is_listed_in_row_order(tmp_path: Path, regions: dict[str, Any]) -> None:
    rows = [project_row(年度="1999"), more_funds(amount="abc"), project_row("2019-002", 类型="x", 状态="y")]
    errors = _errors(tmp_path, rows)
    assert [e.split(" ")[0] for e in errors] == ["第2行", "第3行", "第4行", "第4行"]


@pytest.mark.usefixtures("regions")
def test_missing_and_unknown_columns(tmp_path: Path) -> None:
    headers = ("项目编号", "项目名称", "类型", "所在区域代码", "年度", "状态", "资金来源", "金额", "受益户数", "说明")
    report = import_file(write_csv(tmp_path / "p.csv", [project_row()], headers), actor=Actor.system())
    assert report.error_lines() == [
        "第1行 [金额（元）] 缺少列「金额（元）」 [amount]",
        "第1行 [金额] 未知的列「金额」，请使用项目导入模板的列名",
    ]
    _nothing_written()


def test_an_auditor_may_not_import(tmp_path: Path, actors: dict[str, Actor]) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_file(write_csv(tmp_path / "p.csv", [project_row()]), actor=actors["audrey"])
    _nothing_written()


def test_the_template_imports_cleanly(tmp_path: Path, regions: dict[str, Any]) -> None:
    from jingzhun.projects.template import write_template

    write_template(tmp_path / "t.xlsx")
    report = import_file(tmp_path / "t.xlsx", actor=Actor.system(), dry_run=True)
    assert report.error_lines() == []
    assert (report.projects, report.allocations) == (2, 3)
