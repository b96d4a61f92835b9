"""A township cadre's working day with 帮扶记录, at desktop width and on a 390 px phone: the nav's 帮扶记录 →
filter to one village's 走访慰问 → 导出Excel (the file holds the listed rows) → open a record → its 走访照片
shows; screenshots in test-artifacts/ as the other walks."""

from __future__ import annotations

import base64
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from jingzhun.core.actions import Actor
from jingzhun.helping.actions import add_help_record, add_help_record_once
from tests.staff import browser_login, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]
# a real 2×2 PNG, so the browser decodes it and the test can see the image was shown
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg=="
)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_township_cadre_filters_exports_and_opens_a_visit_with_its_photo(
    live_server: Any, page: Any, screenshot: Any, regions: Any, personas: Any, settings: Any, tmp_path: Path, width: int
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(regions, personas)
    carl = Actor.for_user(personas["carl"])
    root = Actor.for_user(personas["root"])
    add_help_record_once(
        carl, world["own"], None, io.BytesIO(PNG), "门口.png", date=dt.date(2020, 5, 6), kind="visit",
        content="入户走访，查看核桃长势",
    )  # fmt: skip
    add_help_record(root, world["own"], date=dt.date(2020, 3, 1), kind="industry", content="发放核桃苗 200 株")
    add_help_record(root, world["sibling_village"], date=dt.date(2020, 4, 1), kind="visit", content="歧道村走访")
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, live_server.url, "tom")
    page.locator("nav").get_by_role("link", name="帮扶记录").click()
    page.wait_for_url("**/assistance/help/")
    page.locator("#help-count").get_by_text("共 3 条").wait_for()
    page.get_by_label("区域").select_option("141102001001")  # 信义村
    page.get_by_label("帮扶类别").select_option("visit")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/assistance/help/?*kind=visit*")
    page.locator("#help-count").get_by_text("共 1 条").wait_for()
    rows = page.locator("table.help-list tbody tr")
    assert rows.count() == 1 and "入户走访，查看核桃长势" in rows.first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"filtered-{width}")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出Excel").click()
    saved = tmp_path / "帮扶记录.xlsx"
    download.value.save_as(saved)
    sheet = load_workbook(saved).active
    assert sheet["A1"].value == "帮扶记录（筛选条件：区域：信义村，帮扶类别：走访慰问）"
    assert [row[6] for row in sheet.iter_rows(min_row=4, values_only=True)] == ["入户走访，查看核桃长势"]
    rows.first.get_by_role("link", name="2020-05-06").click()
    page.wait_for_url("**/assistance/help/*/")
    photo = page.locator("#photos img")
    photo.wait_for()
    page.wait_for_function("document.querySelector('#photos img').naturalWidth > 0")
    assert "门口.png" in page.locator("#photos").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"record-photo-{width}")
    page.get_by_role("link", name="户 1411020010010001").click()
    page.wait_for_url(f"**/households/{world['own'].pk}/*")
    section = page.locator("#help")
    section.wait_for()
    assert section.get_by_role("link", name="照片").count() == 1
    assert section.get_by_role("link", name="在帮扶记录列表中查看").is_visible()
    screenshot(f"household-help-{width}")
