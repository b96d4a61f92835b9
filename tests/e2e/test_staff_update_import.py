"""A village cadre uploads the annual update file, reads the differences, confirms, and finds them written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.registry.importer import import_file
from jingzhun.registry.models import Household
from tests.registry.importfiles import clean_rows, person_row, write_xlsx
from tests.staff import browser_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded", "uploads_in_tmp"),
]


def test_the_annual_update_is_previewed_then_applied(
    live_server: Any, page: Any, screenshot: Any, regions: Any, personas: Any, tmp_path: Path
) -> None:
    registered = clean_rows()
    assert import_file(write_xlsx(tmp_path / "before.xlsx", registered), actor=Actor.system("e2e")).written
    rows = registered[:2]  # the same people (their ID numbers), without 马玉兰
    rows[0] = {**rows[0], "地址": "信义村三组8号"}
    path = write_xlsx(tmp_path / "信义村2020年度更新.xlsx", [*rows, person_row("新-01", "孙有福")])
    browser_login(page, live_server.url, "victor")
    page.locator("nav").get_by_role("link", name="导入").click()
    page.wait_for_url("**/households/import/")
    page.get_by_role("link", name="年度更新导入").click()
    page.wait_for_url("**/households/import/update/")
    page.set_input_files("#file", str(path))
    page.get_by_role("button", name="上传并比对").click()
    diff = page.locator("#update-diff")
    diff.wait_for()
    assert diff.get_by_text("[地址] 信义村二组5号 → 信义村三组8号").is_visible()
    assert diff.get_by_text("新增户 新-01（户主 孙有福，1 人）").is_visible()
    assert diff.get_by_text("（户主 马玉兰）文件中没有").is_visible()
    assert diff.get_by_text("郭春生 文件中没有").count() == 0
    assert Household.objects.get(household_no="1411020010010101").address == "信义村二组5号"
    screenshot("update-import-preview")
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_selector("text=更新导入成功")
    assert page.get_by_text("系统分配户编号：新-01 → 1411020010010103").is_visible()
    assert Household.objects.get(household_no="1411020010010101").address == "信义村三组8号"
    screenshot("update-import-done")
