"""A county officer adds a PV station, records its year's revenue and enters a distribution plan on
/projects/pv/ (a refused plan first, its Chinese refusal on the form); the village's 一码清 page then shows
the station, the revenue and its distribution by use, without names."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches

from tests.staff import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def test_county_officer_records_pv_and_the_village_page_shows_it(
    live_server: Any, page: Any, screenshot: Any, world: Any, settings: Any, tmp_path: Any
) -> None:
    from jingzhun.core.actions import Actor
    from jingzhun.public.actions import issue_token
    from jingzhun.registry.models import Region

    settings.PUBLIC_RATE_LIMIT_DB = tmp_path / "public-ratelimit.sqlite3"
    caches["public"].clear()
    browser_login(page, live_server.url, "alice")
    page.get_by_role("link", name="项目库").click()
    page.get_by_role("link", name="光伏收益分配").click()
    page.wait_for_url("**/projects/pv/")

    station = page.locator("#station-form")
    station.get_by_label("村").select_option("141102001002")
    station.get_by_label("电站名称").fill("歧道村光伏扶贫电站")
    station.get_by_label("装机容量（千瓦）").fill("300")
    station.get_by_label("建成年份").fill("2016")
    station.get_by_role("button", name="登记电站").click()
    page.locator("text=已登记光伏电站「歧道村光伏扶贫电站」（300.00 千瓦）").wait_for()

    year = page.locator("#year-form")
    year.get_by_label("电站").select_option(label="歧道村 · 歧道村光伏扶贫电站")
    year.get_by_label("年度").fill("2019")
    year.get_by_label("发电量（千瓦时）").fill("662000")
    year.get_by_label("收益（元）").fill("217000")
    year.get_by_role("button", name="登记收益").click()
    page.locator("text=2019 年收益 217,000.00 元").wait_for()

    plan = page.locator("#plan-form")
    plan.get_by_label("村").select_option("141102001002")
    plan.get_by_label("年度").fill("2019")
    plan.get_by_label("第1行用途").select_option(label="小型公益事业")
    plan.get_by_label("第1行金额").fill("150000")
    plan.get_by_label("第1行实施单位").fill("歧道村村委会（村道硬化）")
    plan.get_by_label("第2行用途").select_option(label="奖励补助")
    plan.get_by_label("第2行金额").fill("80000")
    plan.get_by_role("button", name="登记分配方案").click()
    refusal = page.locator("#plan-form ul.errorlist")
    refusal.wait_for()
    text = refusal.inner_text()
    assert "第2行 [condition]：奖励补助须写明奖励事由" in text and "超过可分配收益 217000.00 元" in text
    screenshot("pv-plan-refused")

    plan = page.locator("#plan-form")
    assert plan.get_by_label("第1行金额").input_value() == "150000"  # what was typed is kept
    plan.get_by_label("第2行金额").fill("60000")
    plan.get_by_label("第2行奖励事由").fill("孝亲敬老模范户")
    plan.get_by_role("button", name="登记分配方案").click()
    page.locator("text=已登记 2019 年分配方案 2 行，合计 210,000.00 元").wait_for()
    screenshot("pv-plan-recorded")

    token = issue_token(Actor.system("test"), Region.objects.get(code="141102001002"))
    page.goto(f"{live_server.url}/q/{token.token}/")
    block = page.locator("#pv-years")
    block.wait_for()
    body = page.content()
    assert "歧道村光伏扶贫电站（300.00 千瓦）" in body
    row = block.locator("tr", has_text="2019").inner_text()
    for figure in ("662000", "217,000.00", "150,000.00", "60,000.00"):
        assert figure in row, figure
    assert "累计未分配收益" in body and "7,000.00" in body
    assert "孝亲敬老模范户" not in body and "歧道村村委会" not in body
    screenshot("pv-village-page")
