"""A village cadre takes a 低保 application for a household and records the household survey, on a phone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.staff import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def test_a_village_cadre_takes_an_application_and_records_the_survey(
    live_server: Any, page: Any, screenshot: Any, world: Any
) -> None:
    from jingzhun.assistance.models import Application

    household = world["own_other"]
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(page, live_server.url, "victor")
    page.get_by_role("link", name="救助办理").click()
    page.get_by_role("link", name="新建申请").click()
    page.get_by_label("户编号").fill(household.household_no)
    page.get_by_label("救助类别").select_option(label="最低生活保障（低保）")
    page.get_by_label("申请理由").fill("户主年老体弱，无稳定收入")
    page.get_by_label("申请日期").fill("2020-05-01")  # the survey below may not precede it
    page.get_by_role("button", name="受理申请").click()
    page.wait_for_selector("text=已受理户 1411020010010002 的最低生活保障（低保）申请。")

    page.get_by_label("调查日期").fill("2020-05-04")
    page.get_by_label("核实的家庭年收入（元）").fill("3600")
    page.locator("#id_survey-income_verified").get_by_label("是").check()
    page.locator("#id_survey-assets_ok").get_by_label("是").check()
    page.get_by_label("调查人员").fill("王村、李镇")
    page.get_by_role("button", name="记录入户调查").click()
    page.wait_for_selector("text=已记录「入户调查」。")
    page.wait_for_selector("h3:has-text('民主评议')")
    assert page.get_by_text("3,600.00（已核实）").is_visible()
    assert page.get_by_text("村级代办").first.is_visible() and not page.get_by_text("village").count()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("survey-recorded")
    page.get_by_role("link", name="救助办理").click()
    page.get_by_role("link", name="待我处理").click()
    page.wait_for_selector("h1:has-text('待我处理的救助申请')")
    assert page.get_by_role("link", name="孙有福").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    app = Application.objects.get(household=household)
    assert app.status == "surveyed"
    survey = app.steps.get(step="survey")
    assert (survey.actor_label, survey.data["income_check"]["annual_income_fen"]) == ("victor", 360000)
    assert survey.data["surveyors"] == ["王村", "李镇"]
