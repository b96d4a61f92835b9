"""A cadre finds a household by a member's name and reads why it is entitled to what it gets."""

from __future__ import annotations

from typing import Any

import pytest

from tests.staff import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def test_find_a_household_by_name_and_read_the_explanation(
    live_server: Any, page: Any, screenshot: Any, world: Any
) -> None:
    browser_login(page, live_server.url, "victor")
    page.get_by_role("link", name="户籍查询").click()
    page.get_by_label("姓名 / 身份证号后 4 位 / 户编号").fill("王秀英")
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector("text=匹配成员：王秀英")
    page.get_by_role("link", name="刘保平").click()
    page.wait_for_selector("h1:has-text('户主 刘保平')")
    page.get_by_label("计算月份").fill("2020-06")
    page.get_by_role("button", name="重新计算").click()
    page.wait_for_selector("text=2020-06 应享待遇（按政策计算）")
    dibao = page.locator(".card", has_text="低保补差")
    assert "404.42 元" in dibao.inner_text()
    dibao.get_by_text("为什么是这个金额？").click()
    explanation = dibao.locator("details.explain")
    for text in ("月低保标准 S（元）", "农村低保标准（每人每年）", "4853 元/年", "2020-01-01 起", "吕梁市（市级）"):
        assert explanation.get_by_text(text).first.is_visible(), text
    assert page.get_by_text("未在册：需经特困人员救助供养审批后发放").first.is_visible()
    head = world["own"].persons.get(relation="head").id_number
    assert head not in page.content()
    screenshot("household-explained")


def test_the_household_page_reads_on_a_360px_phone(live_server: Any, page: Any, screenshot: Any, world: Any) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(page, live_server.url, "carl")
    page.goto(f"{live_server.url}/households/{world['own'].pk}/?month=2020-06")
    page.get_by_text("为什么是这个金额？").first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("household-360")


def test_a_county_officer_corrects_an_address(live_server: Any, page: Any, screenshot: Any, world: Any) -> None:
    browser_login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/households/{world['own'].pk}/")
    page.get_by_role("link", name="修改基本信息").click()
    page.get_by_label("地址").fill("信义村三组8号")
    page.get_by_label("银行账号").fill("12ab")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=银行账号应为 12–30 位数字")
    screenshot("edit-error")
    page.get_by_label("银行账号").fill("622848001234567890")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=已保存户 1411020010010001 的基本信息。")
    assert page.get_by_text("信义村三组8号").is_visible()
