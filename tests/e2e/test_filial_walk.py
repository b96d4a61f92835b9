"""孝亲敬老奖励 in a real browser: a village cadre records a child's support payment on the household page's
panel and sees the reward the engine computes for the coming Double Ninth."""

from __future__ import annotations

from typing import Any

import pytest

from tests.staff import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def test_a_village_cadre_records_support_and_sees_the_reward(
    live_server: Any, page: Any, world: Any, settings: Any, screenshot: Any
) -> None:
    from jingzhun.assistance.filial_models import SupportPayment

    settings.WORKING_MONTH = "2020-07"  # the county works in July 2020, as the demo does
    household = world["own"]  # 刘保平, born 1940
    browser_login(page, live_server.url, "victor")
    page.goto(f"{live_server.url}/households/{household.pk}/")
    panel = page.locator("#filial")
    assert panel.get_by_text("没有子女赡养费记录。").is_visible()
    panel.get_by_role("link", name="录入子女赡养费").click()
    page.wait_for_selector("h1:has-text('录入子女赡养费')")
    page.get_by_label("受赡养老人").select_option(label="刘保平（户主，1940 年生）")
    page.get_by_label("赡养人姓名").fill("刘建军")
    page.get_by_label("与老人关系").select_option(label="儿子")
    page.get_by_label("支付日期").fill("2020-06-15")
    page.get_by_label("金额（元）").fill("2150.50")
    page.get_by_label("赡养期间起").fill("2020-01-01")
    page.get_by_label("赡养期间止").fill("2020-06-30")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=已录入赡养费 2150.50 元（计入 2020 年重阳节评定）。")
    year = page.locator("#filial .filial-year[data-year='2020']")
    year.wait_for()
    # 2150.50 paid → floor(2150.50 / 1000) = 2 steps × 200 = 400 元 (the cap)
    assert year.locator(".filial-reward").inner_text() == "400.00 元"
    assert year.get_by_text("将于 2020 年 10 月发放").is_visible()
    assert year.get_by_text("刘建军").is_visible()
    screenshot("panel")
    assert SupportPayment.objects.get().amount_fen == 215_050
