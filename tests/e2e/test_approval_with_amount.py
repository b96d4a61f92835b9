"""Issue #15: a 低保 application through all five steps in a real browser shows the monthly amount at the
township and the county, and the next month run pays it. The county works in 2020-07 (working month)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.staff import browser_login, make_household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def _as(page: Any, base: str, username: str, url: str) -> None:
    page.context.clear_cookies()
    browser_login(page, base, username)
    page.goto(url)


def _step(page: Any, step: str, button: str, fields: dict[str, str]) -> None:
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name=button).click()
    page.wait_for_selector(f"text=已记录「{step}」。")


def test_a_dibao_application_shows_its_amount_and_is_paid_in_the_next_run(
    live_server: Any, page: Any, screenshot: Any, regions: Any, personas: Any, settings: Any
) -> None:
    from jingzhun.ledger.models import PaymentLine

    settings.WORKING_MONTH = "2020-07"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    home = make_household(regions["v11"], "1411020010010099", "吴全华", birth=dt.date(1975, 3, 2), income_fen=4_845_900)
    base = live_server.url
    browser_login(page, base, "victor")
    assert page.get_by_text("工作月份 2020-07").is_visible()
    page.get_by_role("link", name="救助办理").click()
    page.get_by_role("link", name="新建申请").click()
    page.get_by_label("按姓名查找申请户").fill("吴全华")  # by name, not by typing 16 digits
    page.get_by_role("button", name="查找").click()
    page.get_by_role("link", name="选择此户").click()
    page.wait_for_selector("text=已选择：户")
    assert page.get_by_label("户编号", exact=True).input_value() == home.household_no
    page.get_by_label("救助类别").select_option(label="最低生活保障（低保）")
    page.get_by_label("申请理由").fill("丈夫病故，无稳定收入")
    page.get_by_label("申请日期").fill("2020-06-01")
    page.get_by_role("button", name="受理申请").click()
    page.wait_for_selector("text=已受理户 1411020010010099")
    detail = page.url

    page.get_by_label("调查日期").fill("2020-06-03")
    page.get_by_label("核实的家庭年收入（元）").fill("2400")
    page.locator("#id_survey-income_verified").get_by_label("是").check()
    page.locator("#id_survey-assets_ok").get_by_label("是").check()
    page.get_by_label("调查人员").fill("王村、李镇")
    page.get_by_role("button", name="记录入户调查").click()
    page.wait_for_selector("text=已记录「入户调查」。")
    assert page.get_by_text("已按核实收入登记为 2020 年收入（原登记：2019 年 48,459.00 元）").is_visible()
    _step(page, "民主评议", "记录民主评议", {"评议日期": "2020-06-05", "参会人数": "21", "赞成票": "19", "反对票": "1"})
    _step(page, "公示开始", "开始公示", {"公示开始日期": "2020-06-08"})
    _step(page, "公示结束", "结束公示", {"结束日期": "2020-06-15"})

    _as(page, base, "tom", detail)
    amount = page.locator("#amount").inner_text()
    assert "204.42 元/月" in amount and "低保补差 = (404.42 − 200.00) × 1 人 = 204.42 元" in amount
    screenshot("township-sees-the-amount")
    page.locator("#id_township_review-agree").get_by_label("同意，报县级审批").check()
    _step(page, "乡镇审核", "提交乡镇审核意见", {"审核意见": "情况属实，同意上报", "审核日期": "2020-06-16"})

    _as(page, base, "alice", detail)
    assert "204.42 元/月" in page.locator("#amount").inner_text()
    page.locator("#id_county_decision-approve").get_by_label("批准", exact=True).check()
    decision = {"理由": "入户核实收入低于低保标准", "享受起始月份": "2020-07", "审批日期": "2020-06-20"}
    _step(page, "县级审批", "提交审批决定", decision)
    assert page.get_by_text("批准时月发放金额：204.42 元/月").is_visible()
    screenshot("county-approved-with-amount")
    page.get_by_role("link", name="在册记录：最低生活保障（低保） · 在册").click()
    assert "入户核实收入低于低保标准" in page.content()  # the county's reason on the decision record

    page.get_by_role("link", name="月度发放").click()
    page.get_by_label("发放月份").fill("2020-07")
    page.get_by_role("button", name="试算").click()
    page.get_by_role("button", name="确认发放 2020-07").click()
    page.wait_for_selector("text=2020-07 首次发放", timeout=60_000)
    screenshot("paid-in-the-next-run")
    line = PaymentLine.objects.get(household=home, month=dt.date(2020, 7, 1), program="dibao")
    assert line.amount_fen == 20_442
