"""A village cadre records a member's move-out and proposes the household's exit, the county approves it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.staff import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def test_village_cadre_records_a_move_out_and_an_exit(live_server: Any, page: Any, screenshot: Any, world: Any) -> None:
    from jingzhun.core.models import AuditEvent

    household = world["own"]
    browser_login(page, live_server.url, "victor")
    page.goto(f"{live_server.url}/households/{household.pk}/")
    spouse = page.locator("tr", has_text="王秀英").first
    spouse.get_by_role("link", name="迁出登记").click()
    page.wait_for_selector("h1:has-text('迁出登记 · 王秀英')")
    page.get_by_label("迁出日期").fill("2999-01-01")
    page.get_by_role("button", name="登记迁出").click()
    page.wait_for_selector("text=日期不能晚于今天")
    screenshot("move-out-error")
    page.get_by_label("迁出日期").fill("2020-04-10")
    page.get_by_label("说明（证明材料、迁往何处等）").fill("婚迁至柳林县")
    page.get_by_role("button", name="登记迁出").click()
    page.wait_for_selector("text=已登记 王秀英 迁出（2020-04-10）。")
    assert page.locator("tr", has_text="王秀英").get_by_text("2020-04-10 迁出：婚迁至柳林县").is_visible()

    page.get_by_role("link", name="状态变更").click()
    page.wait_for_selector("text=当前状态下可变更为：已脱贫")
    page.get_by_label("变更为").select_option(label="识别")
    page.get_by_label("变更日期").fill("2020-06-30")
    page.get_by_role("button", name="提交变更申请").click()
    page.wait_for_selector("text=户状态不能从「帮扶」变为「识别」")
    page.get_by_label("变更为").select_option(label="已脱贫")
    page.get_by_label("变更依据 / 说明").fill("2019 年人均纯收入超过 3218 元，两不愁三保障达标")
    screenshot("status-form")
    page.get_by_role("button", name="提交变更申请").click()
    page.wait_for_selector("text=已提交户状态变更申请")
    assert page.locator("#pending-changes", has_text="户状态：帮扶 → 已脱贫（2020-06-30 起）").is_visible()
    assert page.locator("h1 .badge", has_text="帮扶").is_visible()  # unchanged until the county approves

    page.context.clear_cookies()
    browser_login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/households/{household.pk}/")
    page.locator("#pending-changes").get_by_role("button", name="批准").click()
    page.wait_for_selector("text=已批准户")
    assert page.locator("h1 .badge", has_text="已脱贫").is_visible()
    screenshot("household-after")

    actions = list(AuditEvent.objects.order_by("id").values_list("action", "actor_label"))
    assert actions == [
        ("registry.record_move_out", "victor"),
        ("registry.propose_change", "victor"),
        ("registry.change_household_status", "alice"),
        ("registry.approve_change", "alice"),
    ]


def test_the_forms_read_on_a_360px_phone(live_server: Any, page: Any, screenshot: Any, world: Any) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(page, live_server.url, "victor")
    household = world["own"]
    for path, name in (("status/", "status"), ("persons/new/", "person-new"), ("merge/", "merge")):
        page.goto(f"{live_server.url}/households/{household.pk}/{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        screenshot(f"{name}-360")
