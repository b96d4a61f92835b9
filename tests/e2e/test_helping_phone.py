"""The 帮扶 cadre on a 390 px phone: 我的帮扶户 → 记一笔走访 at the top of the household page → saved; screenshots."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from jingzhun.helping.models import HelpRecord
from jingzhun.registry.attachments import Attachment
from jingzhun.registry.models import Household
from tests.staff import browser_login, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_visit_is_recorded_from_the_phone(
    live_server: Any, page: Any, screenshot: Any, regions: Any, personas: Any, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(regions, personas)
    Household.objects.filter(pk=world["own"].pk).update(phone="13912345678")
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, live_server.url, "carl")
    page.locator("nav").get_by_role("link", name="我的帮扶户").click()
    page.wait_for_url("**/assistance/mine/")
    card = page.locator("ul.my-households li").filter(has_text="刘保平")
    assert card.get_by_text("还没有走访记录").is_visible()
    assert card.get_by_role("link", name="拨打 13912345678").get_attribute("href") == "tel:13912345678"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("mine-390")
    card.get_by_role("link", name="刘保平").click()
    page.wait_for_url(f"**/households/{world['own'].pk}/")
    quick = page.get_by_role("link", name="记一笔走访")
    quick.wait_for()
    box = quick.bounding_box()
    assert box is not None and box["y"] < 844  # on screen without scrolling, at the top
    screenshot("household-390")
    quick.click()
    page.wait_for_url("**/help/new/?kind=visit")
    page.get_by_label("帮扶内容").fill("入户走访，查看核桃长势")
    photo = tmp_path / "门口.png"
    photo.write_bytes(PNG)
    page.set_input_files("input[name=photo]", str(photo))
    screenshot("visit-form-390")
    page.get_by_role("button", name="保存帮扶记录").click()
    page.wait_for_selector("text=已为户")
    record = HelpRecord.objects.get()
    assert (record.kind, record.household_id, record.date) == ("visit", world["own"].pk, record.date)
    assert isinstance(record.date, dt.date) and Attachment.objects.get().kind == "visit_photo"
    screenshot("visit-saved-390")
