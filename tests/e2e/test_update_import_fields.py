"""A county officer uploads the annual update file and the preview lists the columns the update now compares
(致贫原因, 住房面积, the exit facts, schooling, 参加基本医保) and the 不导入 lines (户状态, 银行账号); confirming
writes the compared ones and leaves the 不导入 ones."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.registry.importer import import_file
from jingzhun.registry.models import Household, Person
from tests.registry.importfiles import clean_rows, write_xlsx
from tests.staff import browser_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded", "uploads_in_tmp"),
]
GUO = "1411020010010101"


def test_the_preview_lists_every_new_field_and_the_not_imported_ones(
    live_server: Any, page: Any, screenshot: Any, regions: Any, personas: Any, tmp_path: Path
) -> None:
    registered = clean_rows()
    assert import_file(write_xlsx(tmp_path / "before.xlsx", registered), actor=Actor.system("e2e")).written
    head, wife, ma = registered
    head = {**head, "致贫原因": "因病", "住房面积": "75.5", "已交付搬迁安置房": "是", "往返取水时间": "12"}
    head |= {"户状态": "已脱贫（享受政策）", "银行账号": "6228480012345678"}
    wife = {**wife, "参加基本医保": "否", "在校情况": "大专及以上", "学校": "吕梁学院"}
    path = write_xlsx(tmp_path / "离石区2020年度更新.xlsx", [head, wife, ma])
    browser_login(page, live_server.url, "alice")
    page.locator("nav").get_by_role("link", name="导入").click()
    page.wait_for_url("**/households/import/")
    page.get_by_role("link", name="年度更新导入").click()
    page.wait_for_url("**/households/import/update/")
    page.set_input_files("#file", str(path))
    page.get_by_role("button", name="上传并比对").click()
    diff = page.locator("#update-diff")
    diff.wait_for()
    for text in (
        f"户 {GUO} [致贫原因] （空） → 因病",
        f"户 {GUO} [住房面积] （空） → 75.50",
        f"户 {GUO} [已交付搬迁安置房] （空） → 是",
        f"户 {GUO} [往返取水时间] （空） → 12",
        f"户 {GUO} 成员 田桂花 [参加基本医保] 是 → 否",
        f"户 {GUO} 成员 田桂花 [在校情况] 非在校 → 大专及以上",
        f"户 {GUO} 成员 田桂花 [学校] （空） → 吕梁学院",
        f"户 {GUO} [户状态] 未脱贫 → 已脱贫（享受政策）（不导入：户状态变化须按状态流程办理）",
        f"户 {GUO} [银行账号] （空） → 6228480012345678（不导入：银行账号变更须提交信息变更申请）",
    ):
        assert diff.get_by_text(text, exact=True).is_visible(), text
    assert Household.objects.get(household_no=GUO).housing_area is None  # a preview writes nothing
    screenshot("update-preview-new-fields")
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_selector("text=更新导入成功")
    household = Household.objects.get(household_no=GUO)
    assert household.poverty_causes == ["illness"] and household.housing_area == Decimal("75.50")
    assert household.relocated_keys is True and household.water_fetch_minutes == 12
    assert (household.status, household.bank_account) == ("not_exited", "")  # 不导入
    wife_now = Person.objects.get(name="田桂花")
    assert (wife_now.medical_insurance, wife_now.student, wife_now.school) == (False, "college", "吕梁学院")
