"""记一笔走访 on a 390 px phone: a field left empty is pointed out before anything is sent, and the message goes
away as soon as the cadre fixes the field — also a message the server put there — so a fixed form does not
still look wrong. The same-day warning stays."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.core.workday import today
from jingzhun.helping.actions import add_help_record
from jingzhun.helping.models import HelpRecord
from tests.staff import browser_login, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def test_an_empty_field_is_flagged_and_the_flag_clears_when_it_is_filled(
    live_server: Any, page: Any, screenshot: Any, regions: Any, personas: Any
) -> None:
    world = build_world(regions, personas)
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, live_server.url, "carl")
    page.goto(f"{live_server.url}/assistance/households/{world['own'].household_no}/help/new/?kind=visit")
    content = page.get_by_label("帮扶内容")
    content.wait_for()
    page.get_by_role("button", name="保存帮扶记录").click()
    error = page.locator("#help-form").get_by_text("请填写帮扶内容")
    error.wait_for()
    assert content.get_attribute("aria-invalid") == "true"
    assert HelpRecord.objects.count() == 0  # nothing sent: the browser said it first
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("empty-content-390")
    content.fill("入户走访，查看核桃长势")
    error.wait_for(state="detached")
    assert content.get_attribute("aria-invalid") is None
    page.get_by_label("折合金额（元）").fill("三百")
    page.get_by_role("button", name="保存帮扶记录").click()
    money = page.locator("#help-form").get_by_text("请输入金额，例如 300 或 300.50")
    money.wait_for()
    page.get_by_label("折合金额（元）").fill("300")
    money.wait_for(state="detached")
    screenshot("fixed-390")
    page.get_by_role("button", name="保存帮扶记录").click()
    page.wait_for_selector("text=已为户")
    assert HelpRecord.objects.get().value_fen == 30_000


def test_a_message_from_the_server_clears_when_the_field_is_fixed(
    live_server: Any, page: Any, regions: Any, personas: Any
) -> None:
    world = build_world(regions, personas)
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, live_server.url, "carl")
    page.goto(f"{live_server.url}/assistance/households/{world['own'].household_no}/help/new/?kind=visit")
    page.get_by_label("帮扶内容").fill("入户走访")
    public_text = page.get_by_label("公开说明")
    public_text.fill("走访，户电话 13912345678")  # a callable number on the door's page: only the server says so
    page.get_by_role("button", name="保存帮扶记录").click()
    error = page.locator("#help-form").get_by_text("公开说明会显示在门牌二维码页面上")
    error.wait_for()
    assert HelpRecord.objects.count() == 0
    page.get_by_label("公开说明").fill("入户走访")
    error.wait_for(state="detached")
    assert page.get_by_label("帮扶内容").input_value() == "入户走访"  # kept from the refused post
    page.get_by_role("button", name="保存帮扶记录").click()
    page.wait_for_selector("text=已为户")
    assert HelpRecord.objects.get().public_text == "入户走访"


def test_a_date_outside_the_allowed_span_is_flagged_before_sending(
    live_server: Any, page: Any, regions: Any, personas: Any
) -> None:
    world = build_world(regions, personas)
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, live_server.url, "carl")
    page.goto(f"{live_server.url}/assistance/households/{world['own'].household_no}/help/new/?kind=visit")
    page.get_by_label("帮扶内容").fill("入户走访")
    page.get_by_label("帮扶日期").fill("2001-01-01")  # before the household's 建档立卡 year (2016)
    page.get_by_role("button", name="保存帮扶记录").click()
    error = page.locator("#help-form").get_by_text("帮扶日期不能早于 2016-01-01")
    error.wait_for()
    assert page.get_by_role("button", name="保存帮扶记录").is_enabled()  # refused here: not left disabled
    page.get_by_label("帮扶日期").fill(today().isoformat())
    error.wait_for(state="detached")
    assert HelpRecord.objects.count() == 0


def test_the_same_day_warning_is_kept(live_server: Any, page: Any, regions: Any, personas: Any) -> None:
    world = build_world(regions, personas)
    add_help_record(Actor.for_user(personas["carl"]), world["own"], date=today(), kind="visit", content="上午已走访")
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, live_server.url, "carl")
    page.goto(f"{live_server.url}/assistance/households/{world['own'].household_no}/help/new/?kind=visit")
    page.locator("#same-day").wait_for()
    page.get_by_label("帮扶内容").fill("下午又去了一次")
    page.get_by_role("button", name="保存帮扶记录").click()
    question = page.locator("#help-form").get_by_text("可能重复录入")
    question.wait_for()
    page.get_by_label("同一天已有同类帮扶记录，仍然保存").check()
    page.get_by_role("button", name="保存帮扶记录").click()
    page.wait_for_selector("text=已为户")
    assert HelpRecord.objects.filter(date=today()).count() == 2
    assert isinstance(HelpRecord.objects.first().date, dt.date)  # type: ignore[union-attr]
