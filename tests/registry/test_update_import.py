"""更新导入: the county's annual file compared with the register (added, changed, moved in, missing), previewed,
then applied through the registry's actions all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jingzhun.cli import app
from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.registry.actions import record_move_out
from jingzhun.registry.importer import import_file
from jingzhun.registry.models import Household, IncomeRecord, Person
from jingzhun.registry.update_import import apply_update, plan_update

from .conftest import member, row, write_xlsx

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("test")
A, B, C, D = (f"14110200100100{n:02d}" for n in (11, 12, 13, 14))


@pytest.fixture
def registered(tmp_path: Path, villages: Any) -> dict[str, dict[str, Any]]:
    """Four households of 信义村 registered last year: A (head and spouse), B, C, D (two members)."""
    rows = {
        "A": row(A, 姓名="张建国"),
        "A2": member(A, 姓名="李秀英"),
        "B": row(B, 姓名="王大锤", birth=dt.date(1959, 1, 1)),
        "C": row(C, 姓名="刘保平", birth=dt.date(1960, 1, 1), 开户银行="中国农业银行", 银行账号="6228480012345678"),
        "D": row(D, 姓名="赵老四", birth=dt.date(1961, 1, 1)),
        "D2": member(D, "子女", 姓名="赵小五", birth=dt.date(1990, 2, 2), sex="M"),
    }
    assert import_file(write_xlsx(tmp_path / "last-year.xlsx", rows.values()), actor=SYSTEM).written
    return rows


def update_file(tmp_path: Path, registered: dict[str, dict[str, Any]]) -> Path:
    """A's address and the spouse's income change, a baby is born in A, 赵小五 (moved out of D) joins C,
    C's bank account changes, a new household 新-01 arrives, B is left out, D is unchanged."""
    baby = member(A, "子女", 姓名="张小宝", birth=dt.date(2020, 3, 3), sex="M", 工资性收入="", 转移性收入="")
    moved = {**registered["D2"], "户编号": C, "与户主关系": "其他"}
    rows = [
        {**registered["A"], "地址": "第二组 3 号"},
        {**registered["A2"], "工资性收入": "2400"},
        baby,
        {**registered["C"], "银行账号": "6228480099998888"},
        moved,
        registered["D"],
        row("新-01", 姓名="孙有福", birth=dt.date(1970, 1, 1)),
    ]
    return write_xlsx(tmp_path / "2020年度更新.xlsx", rows)


def test_the_preview_lists_added_changed_moved_and_missing_and_writes_nothing(
    tmp_path: Path, registered: dict[str, dict[str, Any]]
) -> None:
    record_move_out(SYSTEM, Person.objects.get(name="赵小五"), date=dt.date(2020, 5, 1), note="投亲")
    before = (Household.objects.count(), Person.objects.count(), AuditEvent.objects.count())
    report = plan_update(update_file(tmp_path, registered), actor=SYSTEM)
    assert report.error_lines() == []
    lines = report.lines()
    assert "新增户 新-01（户主 孙有福，1 人）" in lines
    assert f"户 {A} [地址] 第一组 12 号 → 第二组 3 号" in lines
    assert f"户 {A} 成员 李秀英 [2019年工资性收入] 1200.50 → 2400.00" in lines
    assert f"户 {A} 新增成员 张小宝" in lines
    assert f"户 {C} 迁入成员 赵小五（原户 {D}）" in lines
    assert f"户 {C} [银行账号] 6228480012345678 → 6228480099998888（不导入：银行账号变更须提交信息变更申请）" in lines
    assert f"户 {B}（户主 王大锤）文件中没有（请核实迁出、死亡或销户）" in lines
    assert (report.unchanged, len(report.changed)) == (1, 2)  # D unchanged: 赵小五 had already moved out
    assert (Household.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == before


def test_applying_writes_every_change_through_audited_actions(
    tmp_path: Path, registered: dict[str, dict[str, Any]]
) -> None:
    record_move_out(SYSTEM, Person.objects.get(name="赵小五"), date=dt.date(2020, 5, 1), note="投亲")
    path = update_file(tmp_path, registered)
    preview = plan_update(path, actor=SYSTEM)
    report = apply_update(path, actor=SYSTEM, expected_sha256=preview.sha256)
    assert report.error_lines() == [] and report.written
    assert Household.objects.get(household_no=A).address == "第二组 3 号"
    spouse = Person.objects.get(name="李秀英")
    assert IncomeRecord.objects.get(person=spouse, year=2019).wages_fen == 240000
    assert Person.objects.get(name="张小宝").household.household_no == A
    moved = Person.objects.get(name="赵小五")
    assert (moved.household.household_no, moved.status) == (C, "active")
    assert Household.objects.get(household_no=C).bank_account == "6228480012345678"  # not applied
    new = Household.objects.get(import_no="新-01")
    assert new.household_no == "1411020010010015" and report.assigned == {"新-01": new.household_no}
    assert Household.objects.get(household_no=B).active  # listed, never closed by a file
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"registry.update_household", "registry.add_person", "registry.move_in_person"} <= actions
    summary = AuditEvent.objects.get(action="registry.update_import")
    assert summary.after["added"] == 1 and summary.after["changed"] == 2 and summary.after["missing"] == 1


def test_a_refusal_anywhere_writes_nothing(tmp_path: Path, registered: dict[str, dict[str, Any]]) -> None:
    """赵小五 still lives in D (not moved out): the whole file is refused, A's address stays."""
    report = apply_update(update_file(tmp_path, registered), actor=SYSTEM)
    assert not report.written
    assert any("赵小五 仍在户" in line and "须先在原户办理迁出" in line for line in report.error_lines())
    assert Household.objects.get(household_no=A).address == "第一组 12 号"
    assert not Household.objects.filter(import_no="新-01").exists()
    assert not AuditEvent.objects.filter(action="registry.update_import").exists()


def test_another_file_than_the_previewed_one_is_refused(tmp_path: Path, registered: dict[str, dict[str, Any]]) -> None:
    record_move_out(SYSTEM, Person.objects.get(name="赵小五"), date=dt.date(2020, 5, 1), note="投亲")
    report = apply_update(update_file(tmp_path, registered), actor=SYSTEM, expected_sha256="0" * 64)
    assert "文件与预览时的不同" in "".join(report.error_lines()) and not report.written


def test_the_cli_previews_with_dry_run_and_applies_without(
    tmp_path: Path, registered: dict[str, dict[str, Any]]
) -> None:
    record_move_out(SYSTEM, Person.objects.get(name="赵小五"), date=dt.date(2020, 5, 1), note="投亲")
    path = str(update_file(tmp_path, registered))
    preview = CliRunner().invoke(app, ["registry", "import", path, "--update", "--dry-run"])
    assert preview.exit_code == 0, preview.stderr
    assert f"户 {A} [地址] 第一组 12 号 → 第二组 3 号" in preview.stdout and "更新预览（尚未写入）" in preview.stdout
    assert Household.objects.get(household_no=A).address == "第一组 12 号"
    done = CliRunner().invoke(app, ["registry", "import", path, "--update"])
    assert done.exit_code == 0, done.stderr
    assert "更新导入成功" in done.stdout and Household.objects.get(household_no=A).address == "第二组 3 号"
