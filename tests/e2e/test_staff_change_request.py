"""Maker–checker in the browser: a village cadre proposes a new bank account, a township officer approves it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.staff import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]
OLD, NEW = "6228480000000001234", "6228480012345678901"


def test_a_bank_account_change_is_proposed_by_the_village_and_approved_by_the_township(
    live_server: Any, page: Any, screenshot: Any, world: Any
) -> None:
    from jingzhun.core.models import AuditEvent

    household = world["own"]
    household.bank_name, household.bank_account = "农商银行", OLD
    household.save()

    browser_login(page, live_server.url, "victor")
    page.goto(f"{live_server.url}/households/{household.pk}/edit/")
    account = page.get_by_label("银行账号")
    assert account.input_value() == "" and page.get_by_text("当前账号：**** 1234").is_visible()
    account.fill(NEW)
    screenshot("victor-edit")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=已提交银行账号变更申请（农商银行 账号尾号 8901）")
    pending = page.locator("#pending-changes")
    assert pending.get_by_text("农商银行 账号尾号 8901").is_visible()
    assert (
        pending.get_by_role("button", name="撤回").is_visible()
        and pending.get_by_role("button", name="批准").count() == 0
    )

    page.context.clear_cookies()
    browser_login(page, live_server.url, "tom")
    page.locator("nav").get_by_role("link", name="待审批变更").click()  # the 工作台 lists it as a to-do too
    page.wait_for_url("**/households/changes/")
    row = page.locator("tr", has_text=household.household_no)
    row.get_by_text("农商银行 账号尾号 8901").wait_for()
    assert row.get_by_text("农商银行 账号尾号 8901").is_visible()
    row.get_by_label("审批意见").fill("已核对存折")
    screenshot("tom-list")
    row.get_by_role("button", name="批准").click()
    page.wait_for_selector("text=已批准户")
    assert page.get_by_text("没有待您审批的申请").is_visible()

    page.context.clear_cookies()
    browser_login(page, live_server.url, "victor")
    page.goto(f"{live_server.url}/households/{household.pk}/")
    assert page.get_by_text("**** 8901").is_visible() and page.locator(f"text={NEW}").count() == 0
    assert page.locator("#pending-changes").count() == 0
    screenshot("household-after")

    household.refresh_from_db()
    assert household.bank_account == NEW
    # the 一张图 summary job audits its rebuilds when the 工作台 is opened: not part of this walk
    audited = AuditEvent.objects.exclude(action="dashboard.refresh").order_by("id")
    actions = list(audited.values_list("action", "actor_label"))
    assert actions == [
        ("registry.propose_change", "victor"),
        ("registry.update_household", "tom"),
        ("registry.approve_change", "tom"),
    ]
