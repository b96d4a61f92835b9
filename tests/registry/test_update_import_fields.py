"""更新导入 compares every column the template carries (issue 15): 致贫原因, 住房面积, the exit facts (住房等级,
搬迁安置房, 饮水指标), schooling, 参加基本医保 per member and the rest — each difference listed in the preview
and applied through the registry's own audited action; bank account, 户状态, 监测对象 and a move to another
village are listed as 不导入 and left as they are."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.registry import columns as c
from jingzhun.registry.importer import import_file
from jingzhun.registry.models import Household, Person
from jingzhun.registry.update_fields import every_compared_key
from jingzhun.registry.update_import import apply_update, plan_update

from .conftest import OTHER_VILLAGE, VILLAGE, member, row, write_xlsx

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("test")
A = "141102001001" + "0011"


@pytest.fixture
def registered(tmp_path: Path, villages: Any) -> dict[str, dict[str, Any]]:
    """Household A of 信义村: head 张建国 and spouse 李秀英, registered from last year's file."""
    rows = {"A": row(A, 姓名="张建国"), "A2": member(A, 姓名="李秀英")}
    assert import_file(write_xlsx(tmp_path / "last-year.xlsx", rows.values()), actor=SYSTEM).written
    return rows


def update(
    tmp_path: Path, registered: dict[str, dict[str, Any]], head: dict[str, Any], spouse: dict[str, Any] | None = None
) -> Path:
    rows = [{**registered["A"], **head}, {**registered["A2"], **(spouse or {})}]
    return write_xlsx(tmp_path / "update.xlsx", rows)


def preview_and_apply(path: Path) -> list[str]:
    preview = plan_update(path, actor=SYSTEM)
    assert preview.error_lines() == []
    report = apply_update(path, actor=SYSTEM, expected_sha256=preview.sha256)
    assert report.error_lines() == [] and report.written
    return preview.lines()


def test_every_template_column_is_compared_or_named_as_a_key() -> None:
    assert every_compared_key() == {col.key for col in c.COLUMNS}


# (column header, new cell, the preview's line tail, the model field, its value after applying)
HOUSEHOLD_CASES = [
    ("致贫原因", "因学、缺水", "[致贫原因] 因病、缺技术 → 因学、缺水", "poverty_causes", ["schooling", "lack_water"]),
    ("住房面积", "92", "[住房面积] 86.50 → 92.00", "housing_area", Decimal("92.00")),
    ("住房安全等级", "C", "[住房安全等级] B → C", "housing_grade", "C"),
    ("饮水安全", "否", "[饮水安全] 是 → 否", "water_safe", False),
    ("已交付搬迁安置房", "是", "[已交付搬迁安置房] （空） → 是", "relocated_keys", True),
    ("每人每日可用水量", "42.5", "[每人每日可用水量] （空） → 42.50", "water_litres_per_day", Decimal("42.50")),
    ("往返取水时间", "15", "[往返取水时间] （空） → 15", "water_fetch_minutes", 15),
    ("年缺水天数", "20", "[年缺水天数] （空） → 20", "water_days_without", 20),
    ("水质达标", "是", "[水质达标] （空） → 是", "water_quality_ok", True),
    ("干旱缺水地区", "否", "[干旱缺水地区] （空） → 否", "water_dry_area", False),
    ("取消资格情形", "车辆", "[取消资格情形] （空） → 车辆", "disqualified", ["vehicle"]),
    ("帮扶责任人", "陈玲容", "[帮扶责任人] （空） → 陈玲容", "cadre_name", "陈玲容"),
]


@pytest.mark.parametrize(("header", "cell", "line", "attr", "after"), HOUSEHOLD_CASES)
def test_a_household_column_is_listed_and_applied(
    tmp_path: Path, registered: Any, header: str, cell: str, line: str, attr: str, after: Any
) -> None:
    lines = preview_and_apply(update(tmp_path, registered, {header: cell}))
    assert f"户 {A} {line}" in lines
    assert getattr(Household.objects.get(household_no=A), attr) == after


def test_exit_facts_go_through_the_exit_facts_action(tmp_path: Path, registered: Any) -> None:
    preview_and_apply(update(tmp_path, registered, {"已交付搬迁安置房": "是", "往返取水时间": "15"}))
    event = AuditEvent.objects.get(action="registry.update_exit_facts")
    assert event.after == {"relocated_keys": True, "water_fetch_minutes": 15}


def test_poverty_causes_in_another_order_are_no_change(tmp_path: Path, registered: Any) -> None:
    report = plan_update(update(tmp_path, registered, {"致贫原因": "缺技术、因病"}), actor=SYSTEM)
    assert report.error_lines() == [] and report.changed == [] and report.unchanged == 1


def test_marginal_is_applied_through_its_own_action_with_the_file_as_reason(tmp_path: Path, registered: Any) -> None:
    lines = preview_and_apply(update(tmp_path, registered, {"建档立卡年份": "", "户状态": "", "边缘易致贫户": "是"}))
    assert f"户 {A} [边缘易致贫户] 否 → 是" in lines
    assert Household.objects.get(household_no=A).marginal
    assert AuditEvent.objects.get(action="registry.set_marginal").reason == "更新导入 update.xlsx"


# (column header, new cell, the preview's line tail, the model field, its value after applying)
PERSON_CASES = [
    ("参加基本医保", "否", "[参加基本医保] 是 → 否", "medical_insurance", False),
    ("在校情况", "高中阶段", "[在校情况] 非在校 → 高中阶段", "student", "senior"),
    ("学校", "离石区第一中学", "[学校] （空） → 离石区第一中学", "school", "离石区第一中学"),
    ("辍学", "是", "[辍学] 否 → 是", "dropout", True),
    ("因病免学", "是", "[因病免学] 否 → 是", "school_exempt_health", True),
    ("残疾等级", "2", "[残疾等级] （空） → 2", "disability_grade", 2),
    ("残疾类别", "肢体", "[残疾类别] （空） → 肢体", "disability_category", "physical"),
    ("第二代残疾证", "是", "[第二代残疾证] 否 → 是", "disability_card_gen2", True),
    ("需长期照护", "是", "[需长期照护] 否 → 是", "needs_long_term_care", True),
    ("失能认定", "是", "[失能认定] 否 → 是", "disabled_elder_certified", True),
    ("慢性病", "高血压、糖尿病", "[慢性病] （空） → 高血压、糖尿病", "chronic_diseases", ["高血压", "糖尿病"]),
    ("重特大疾病晚期", "是", "[重特大疾病晚期] 否 → 是", "late_stage_major_disease", True),
    ("供养方式", "集中供养", "[供养方式] 分散供养 → 集中供养", "care_setting", "institution"),
]


@pytest.mark.parametrize(("header", "cell", "line", "attr", "after"), PERSON_CASES)
def test_a_member_column_is_listed_and_applied(
    tmp_path: Path, registered: Any, header: str, cell: str, line: str, attr: str, after: Any
) -> None:
    lines = preview_and_apply(update(tmp_path, registered, {}, {header: cell}))
    assert f"户 {A} 成员 李秀英 {line}" in lines
    assert getattr(Person.objects.get(name="李秀英"), attr) == after
    assert getattr(Person.objects.get(name="张建国"), attr) != after or header == "供养方式"
    assert AuditEvent.objects.filter(action="registry.update_person").count() == 1


def test_status_monitored_bank_and_a_move_are_listed_as_not_imported(tmp_path: Path, registered: Any) -> None:
    changes = {"户状态": "已脱贫（享受政策）", "状态日期": "2020-06-30", "监测对象": "是", "村代码": OTHER_VILLAGE}
    changes |= {"开户银行": "中国农业银行", "银行账号": "6228480099998888", "住房面积": "90"}
    lines = preview_and_apply(update(tmp_path, registered, changes, {"村代码": OTHER_VILLAGE}))
    assert f"户 {A} [户状态] 未脱贫 → 已脱贫（享受政策）（不导入：户状态变化须按状态流程办理）" in lines
    assert f"户 {A} [状态日期] 2016-05-01 → 2020-06-30（不导入：户状态变化须按状态流程办理）" in lines
    assert f"户 {A} [监测对象] 否 → 是（不导入：监测对象由返贫预警认定）" in lines
    assert f"户 {A} [银行账号] （空） → 6228480099998888（不导入：银行账号变更须提交信息变更申请）" in lines
    moved = f"户 {A} [村代码] {VILLAGE}村（{VILLAGE}） → {OTHER_VILLAGE}村（{OTHER_VILLAGE}）"
    moved += "（不导入：整户迁移须按迁移流程办理）"
    assert moved in lines
    household = Household.objects.get(household_no=A)
    assert (household.status, household.monitored, household.bank_account) == ("not_exited", False, "")
    assert household.village.code == VILLAGE and household.housing_area == Decimal("90.00")  # the rest applied


def test_an_older_file_without_the_exit_columns_clears_nothing(tmp_path: Path, registered: Any) -> None:
    preview_and_apply(update(tmp_path, registered, {"往返取水时间": "15"}, {"因病免学": "是"}))
    older = [h for h in c.HEADERS if h not in c.OPTIONAL_HEADERS]
    rows = [{**registered["A"], "住房面积": "95"}, registered["A2"]]
    report = plan_update(write_xlsx(tmp_path / "older.xlsx", rows, older), actor=SYSTEM)
    assert report.error_lines() == [] and [line.split("] ")[0] for line in report.lines()] == [f"户 {A} [住房面积"]
    apply_update(tmp_path / "older.xlsx", actor=SYSTEM, expected_sha256=report.sha256)
    household = Household.objects.get(household_no=A)
    assert household.water_fetch_minutes == 15 and household.housing_area == Decimal("95.00")
    assert Person.objects.get(name="李秀英").school_exempt_health


def test_a_refused_marginal_rolls_back_every_other_change(tmp_path: Path, registered: Any) -> None:
    """边缘易致贫户 on a 建档立卡 household is refused by its action: the file's other changes are not written."""
    report = apply_update(update(tmp_path, registered, {"边缘易致贫户": "是", "住房面积": "99"}), actor=SYSTEM)
    assert not report.written and any("建档立卡户，不能认定为边缘易致贫户" in e for e in report.error_lines())
    assert Household.objects.get(household_no=A).housing_area == Decimal("86.50")
    assert not AuditEvent.objects.filter(action__in=["registry.update_household", "registry.update_import"]).exists()


def test_a_born_date_is_shown_as_a_date() -> None:
    from jingzhun.registry.update_fields import shown

    assert shown("birth_date", dt.date(1962, 7, 9)) == "1962-07-09"
    assert shown("poverty_causes", ["illness", "lack_technology"]) == "因病、缺技术"
    assert shown("income_wages", 120050) == "1200.50"
