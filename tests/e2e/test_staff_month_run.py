"""A county officer previews a month's payments (dry run) with totals per program."""

from __future__ import annotations

from typing import Any

import pytest

from tests.staff import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def test_county_officer_previews_a_month(live_server: Any, page: Any, screenshot: Any, world: Any) -> None:
    """Preview only: a real run appends to the ledger, whose DB triggers refuse the flush that ends a
    browser test (the run itself is covered in tests/ledger/test_run_views.py)."""
    from jingzhun.ledger.models import PaymentLine

    browser_login(page, live_server.url, "alice")
    page.get_by_role("link", name="月度发放").click()
    page.get_by_label("发放月份").fill("2020-06")
    screenshot("month-run-form")
    page.get_by_role("button", name="试算").click()
    page.wait_for_selector("text=试算，未写入台账", timeout=30_000)
    totals = page.locator("table.data").first.inner_text()
    assert "低保补差" in totals and "404.42" in totals
    assert "低保" in page.locator("table.month-compare").inner_text()  # 与上月比较, per program
    assert page.get_by_role("button", name="确认发放 2020-06").is_visible()
    assert not PaymentLine.objects.exists()
    screenshot("month-preview")


def test_a_township_officer_has_no_month_run_link_and_is_refused(live_server: Any, page: Any, world: Any) -> None:
    browser_login(page, live_server.url, "tom")
    assert page.get_by_role("link", name="月度发放").count() == 0
    page.goto(f"{live_server.url}/runs/")
    assert "月度发放仅限县级民政/扶贫办经办人员办理" in page.content()
