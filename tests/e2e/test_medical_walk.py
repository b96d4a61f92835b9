"""A county officer records a discharge and prints the 一站式结算单; the 一码清 page shows 医疗救助 and no diagnosis."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches

from jingzhun.core.actions import Actor
from jingzhun.medical.models import Hospital
from jingzhun.public.actions import ensure_tokens, issue_token
from tests.staff import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


@pytest.fixture(autouse=True)
def _own_rate_limit_and_page_cache(settings: Any, tmp_path: Any) -> Any:
    settings.PUBLIC_RATE_LIMIT_DB = tmp_path / "public-ratelimit.sqlite3"
    caches["public"].clear()
    yield
    caches["public"].clear()
    from jingzhun.public import queries

    # the public year is cached per ledger version (its highest line id); SQLite reuses ids after the flush,
    # so a later test's ledger could be read as this one's year (2019)
    queries._years.clear()
    queries._years_version[0] = 0


@pytest.fixture(autouse=True)
def _ledger_lines_removed_before_the_flush() -> Any:
    """The settlement appends to the ledger, whose SQLite triggers refuse the DELETE of the flush that ends a
    live-server test: lift the trigger, remove the test's lines, put the trigger back (PostgreSQL truncates)."""
    yield
    from django.db import connection

    from jingzhun.core.triggers import _Cursor
    from jingzhun.ledger.triggers import add_append_only, drop_append_only

    if connection.vendor == "sqlite":
        table = ["ledger_paymentline"]
        drop_append_only(_Cursor(connection), table)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM ledger_paymentline")
        add_append_only(_Cursor(connection), table)


def test_record_a_discharge_print_the_slip_and_see_it_on_the_public_page(
    live_server: Any, page: Any, screenshot: Any, world: Any
) -> None:
    Hospital.objects.create(name="吕梁市人民医院", level="city", county="141100")
    household = world["own"]  # 刘保平's household, 建档立卡 2016, 低保
    browser_login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/households/{household.pk}/")
    page.locator("#medical").get_by_role("link", name="出院登记").click()
    page.get_by_label("患者").select_option(label="刘保平")
    page.get_by_label("医院").select_option(label="吕梁市人民医院（市级）")
    page.get_by_label("住院号").fill("ZY-2019-0815")
    page.get_by_label("入院日期").fill("2019-02-01")
    page.get_by_label("出院日期").fill("2019-02-20")
    page.get_by_label("总费用（元）").fill("30000")
    page.get_by_label("目录内费用（元）").fill("28000")
    page.get_by_label("出院时为低保对象或特困人员").check()
    page.get_by_label("诊断").fill("脑梗死")
    screenshot("discharge-form")
    page.get_by_role("button", name="登记并结算").click()
    page.wait_for_selector("text=已登记住院 ZY-2019-0815 并完成一站式结算。")
    page.get_by_role("link", name="打印一站式结算单").click()
    page.wait_for_url("**/slip/")
    page.wait_for_load_state("load")  # print.css is in; print media hides the header only once it is
    slip = page.locator("#slip")
    slip.wait_for()
    for text in ("住院费用一站式结算单", "刘保平", "22080.00", "751.52", "2322.08", "0.9226"):
        assert slip.get_by_text(text).first.is_visible(), text
    assert "脑梗死" not in slip.inner_text()
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()  # on paper only the slip
    screenshot("slip-print")
    page.emulate_media(media="screen")

    system = Actor.system("e2e")
    ensure_tokens(system, household.village.code[:9])
    token = issue_token(system, household)
    page.goto(f"{live_server.url}/q/{token.token}/")
    body = page.locator("main").inner_text()
    assert "医疗救助" in body, body
    content = page.content()
    assert "751.52" in content
    for secret in ("脑梗死", "吕梁市人民医院", "住院", "刘保平"):
        assert secret not in content, secret
    screenshot("public-household")
