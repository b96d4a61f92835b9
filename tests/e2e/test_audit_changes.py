"""Who did what (issue #15): a county officer corrects a household's address in the browser; the auditor
opens the household's 修改记录 tab, reads who (by name), the field and old → new, and downloads the Excel."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.staff import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def test_an_auditor_reads_a_households_changes_and_downloads_them(
    live_server: Any, page: Any, screenshot: Any, world: Any, personas: Any
) -> None:
    personas["alice"].staff.name = "王丽"
    personas["alice"].staff.save()
    household = world["own"]

    browser_login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/households/{household.pk}/edit/")
    page.get_by_label("地址").fill("信义村二组 8 号")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector(f"h1:has-text('{household.household_no}')")

    page.context.clear_cookies()
    browser_login(page, live_server.url, "audrey")
    page.goto(f"{live_server.url}/households/{household.pk}/")
    page.get_by_role("link", name="修改记录").click()
    page.wait_for_selector("h1:has-text('修改记录')")
    row = page.locator("table.changes tr", has_text="信义村二组 8 号").first
    assert row.is_visible()
    for text in ("王丽", "修改户信息", "地址", "信义村一组"):
        assert text in row.inner_text()
    screenshot("changes-tab")

    with page.expect_download() as info:
        page.get_by_role("link", name="导出 Excel").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx") and household.household_no in download.suggested_filename
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert household.household_no in rows[0][0]
    assert ["王丽", "地址", "信义村一组", "信义村二组 8 号"] in [[r[1], r[4], r[5], r[6]] for r in rows[2:]]
