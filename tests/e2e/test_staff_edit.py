"""A village cadre records a move-out; the household page offers no 户状态 edit any more (exit is a workflow)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.staff import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def test_village_cadre_records_a_move_out(live_server: Any, page: Any, screenshot: Any, world: Any) -> None:
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

    assert page.get_by_role("link", name="状态变更").count() == 0  # 户状态 changes only by exit or 返贫 (#14)
    screenshot("household-after")

    # the 一张图 summary job audits its rebuilds when the 工作台 is opened: not part of this walk
    audited = AuditEvent.objects.exclude(action="dashboard.refresh").order_by("id")
    actions = list(audited.values_list("action", "actor_label"))
    assert actions == [
        ("registry.record_move_out", "victor"),
    ]


def test_the_forms_read_on_a_360px_phone(live_server: Any, page: Any, screenshot: Any, world: Any) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(page, live_server.url, "victor")
    household = world["own"]
    for path, name in (("persons/new/", "person-new"), ("merge/", "merge")):
        page.goto(f"{live_server.url}/households/{household.pk}/{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        screenshot(f"{name}-360")
