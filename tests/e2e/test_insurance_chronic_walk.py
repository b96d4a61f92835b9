"""交口县's county officer in a browser: records an 一保通 claim and approves it, then certifies a
慢性病门诊 patient and records an outpatient claim — each page reached through the nav and its links."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.insurance import actions as insurance
from tests.staff import browser_login, make_household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def test_record_an_insurance_claim_and_a_chronic_outpatient_claim(
    live_server: Any, page: Any, screenshot: Any, regions: Any, personas: Any
) -> None:
    from jingzhun.insurance.models import Claim
    from jingzhun.medical.models import ChronicClaim

    household = make_household(regions["v91"], "141130001001900", "王秀英", others=("王建军",))
    patient = household.persons.get(name="王秀英")
    insurance.issue_policies(Actor.system("e2e"), "141130", 2019)
    browser_login(page, live_server.url, "zoe")

    page.locator("nav").get_by_role("link", name="一保通").click()
    page.wait_for_url("**/insurance/")
    page.get_by_role("link", name="理赔审核").click()
    page.wait_for_url("**/insurance/claims/")
    page.get_by_role("link", name="登记理赔").click()
    page.wait_for_url("**/insurance/claims/new/")
    page.get_by_label("户编号").fill(household.household_no)
    page.get_by_label("保险年度").fill("2019")
    page.get_by_label("险种").select_option(label="农房保险")
    page.get_by_label("出险日期").fill("2019-07-02")
    page.get_by_label("赔付金额（元）").fill("3000.50")
    page.get_by_label("证据材料").fill("暴雨致房屋倒塌，乡镇查勘报告")
    screenshot("claim-form")
    page.get_by_role("button", name="登记理赔").click()
    page.wait_for_url("**/insurance/claims/?status=pending")
    notice = page.get_by_text(f"（农房保险，户 {household.household_no}），待审核。")
    notice.wait_for()
    row = page.locator("tr", has_text="暴雨致房屋倒塌")
    assert row.get_by_text("3,000.50").is_visible()
    row.locator("select[name=decision]").select_option("approve")
    row.locator("input[name=note]").fill("查勘属实")
    row.get_by_role("button", name="提交").click()
    page.get_by_text("已审核：已赔付").wait_for()
    claim = Claim.objects.get()
    assert (claim.amount_fen, claim.status) == (300_050, "approved")

    page.locator("nav").get_by_role("link", name="医疗结算").click()
    page.wait_for_url("**/medical/")
    page.get_by_role("link", name="慢性病门诊").click()
    page.wait_for_url("**/medical/chronic/")
    page.get_by_label("患者身份证号").fill(patient.id_number)
    page.get_by_label("病种代码").fill("A01")
    page.get_by_label("认定日期").fill("2019-01-10")
    page.get_by_role("button", name="登记认定").click()
    page.get_by_text("已登记 王秀英 的慢性病门诊认定（A01）。").wait_for()
    page.locator("#certificates tr", has_text="王秀英").get_by_role("link", name="登记报销").click()
    page.wait_for_url("**/claims/new/")
    page.get_by_label("单据号").fill("MZ-2019-0001")
    page.get_by_label("就诊日期").fill("2019-03-05")
    page.get_by_label("目录内费用（元）").fill("123.45")
    page.get_by_role("button", name="登记报销").click()
    page.wait_for_url("**/medical/chronic/claims/")
    page.get_by_text("已登记报销 MZ-2019-0001：基本医保报销 98.76 元。").wait_for()
    row = page.locator("#chronic-claims tr", has_text="MZ-2019-0001")
    assert row.get_by_text("王秀英").is_visible() and row.get_by_text("98.76").is_visible()
    screenshot("chronic-claims")
    assert ChronicClaim.objects.get().date == dt.date(2019, 3, 5)
