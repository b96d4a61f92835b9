"""Lists a cadre lives in (issue #15): a county officer filters 户籍查询 to one township in the browser and
downloads 导出Excel — the file holds exactly that township's households, the filter in its title."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.staff import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def test_a_filtered_household_list_downloads_as_excel(live_server: Any, page: Any, screenshot: Any, world: Any) -> None:
    browser_login(page, live_server.url, "alice")
    page.locator("nav").get_by_role("link", name="户籍查询").click()
    page.wait_for_url(f"{live_server.url}/households/")
    page.locator("#region").select_option("141102001000")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/households/?*region=141102001000*")
    page.locator("table.data").wait_for()
    screenshot("filtered-list")

    with page.expect_download() as info:
        page.get_by_role("link", name="导出Excel").click()
    download = info.value
    assert download.suggested_filename.startswith("户籍查询-") and download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert "区域：信义镇" in rows[0][0] and "共 3 条" in rows[1][0]
    expected = [world[k].household_no for k in ("own", "own_other", "sibling_village")]
    assert sorted(r[0] for r in rows[3:]) == sorted(expected)
