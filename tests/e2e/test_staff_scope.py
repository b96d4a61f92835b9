"""Each role signs in and sees its own households on the list page (desktop and a 360 px phone)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.staff import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


SEES = {
    "alice": {"刘保平", "孙有福", "张建国", "李桂兰"},
    "tom": {"刘保平", "孙有福", "张建国"},
    "victor": {"刘保平", "孙有福"},
    "carl": {"刘保平"},
    "audrey": {"刘保平", "孙有福", "张建国", "李桂兰", "赵文华"},
    "zoe": {"赵文华"},
}
EVERYONE = {"刘保平", "孙有福", "张建国", "李桂兰", "赵文华"}


@pytest.mark.parametrize("persona", list(SEES))
def test_each_role_sees_its_own_scope(live_server: Any, page: Any, screenshot: Any, world: Any, persona: str) -> None:
    browser_login(page, live_server.url, persona)
    page.get_by_role("link", name="户籍查询").click()
    page.wait_for_selector("h1:has-text('户籍查询')")
    table = page.locator("table.data tbody").inner_text()
    assert {name for name in EVERYONE if name in table} == SEES[persona]
    assert page.get_by_text(f"共 {len(SEES[persona])} 户").is_visible()
    if persona in ("alice", "audrey"):
        screenshot(f"list-{persona}")


def test_the_list_reads_on_a_360px_phone(live_server: Any, page: Any, screenshot: Any, world: Any) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(page, live_server.url, "victor")
    page.goto(f"{live_server.url}/households/")
    assert page.get_by_text("刘保平").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("list-360")
