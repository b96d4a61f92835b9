"""A county officer opens 发放明细 from the nav, filters it to one township, one program and 已到账 over two
months, reads the totals, and downloads 导出Excel: the file holds exactly the rows the page lists, the
filter in its title."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from jingzhun.ledger.models import BankStatus, LineKind, PaymentLine, PaymentStatusEvent
from tests.staff import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def pay(household: Any, program: str, month: int, fen: int, *statuses: str) -> PaymentLine:
    line = PaymentLine.objects.create(
        household=household,
        program=program,
        month=dt.date(2020, month, 1),
        amount_fen=fen,
        kind=LineKind.PAYMENT,
        actor_label="e2e",
    )
    for status in statuses:
        PaymentStatusEvent.objects.create(line=line, status=status, actor_label="bank")
    return line


def test_a_county_officer_filters_the_lines_and_downloads_them(
    live_server: Any, page: Any, screenshot: Any, world: Any
) -> None:
    paid = (BankStatus.SENT, BankStatus.PAID)
    wanted = [
        pay(world["own"], "dibao", 5, 120_050, *paid),
        pay(world["own"], "dibao", 6, 120_050, *paid),
        pay(world["sibling_village"], "dibao", 6, 98_000, *paid),
    ]
    pay(world["own_other"], "dibao", 6, 50_000, BankStatus.SENT)  # 已报盘: filtered out
    pay(world["own"], "price_subsidy", 6, 3_000, *paid)  # another program
    pay(world["sibling_township"], "dibao", 6, 77_700, *paid)  # another township
    pay(world["own"], "dibao", 4, 120_050, *paid)  # before the range
    browser_login(page, live_server.url, "alice")
    page.locator("nav").get_by_role("link", name="发放明细").click()
    page.wait_for_url(f"{live_server.url}/ledger/lines/")
    page.locator("#from").fill("2020-05")
    page.locator("#to").fill("2020-06")
    page.locator("#program").select_option("dibao")
    page.locator("#region").select_option("141102001000")
    page.locator("#status").select_option("paid")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/ledger/lines/?*status=paid*")
    page.locator("#lines").wait_for()
    totals = page.locator("#totals").inner_text()
    assert "共 3 条（2 户）" in totals and "合计 3,381.00 元" in totals
    assert "发放月份：2020-05 至 2020-06，区域：信义镇，项目：低保补差，发放状态：已到账" in totals
    cells = page.locator("#lines tbody tr td:first-child").all_inner_texts()
    assert cells == ["2020-06", "2020-06", "2020-05"]
    screenshot("filtered-lines")

    with page.expect_download() as info:
        page.get_by_role("link", name="导出Excel").click()
    download = info.value
    assert download.suggested_filename.startswith("发放明细-") and download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert "发放状态：已到账" in rows[0][0] and "区域：信义镇" in rows[0][0] and "共 3 条" in rows[1][0]
    assert sorted(r[0] for r in rows[3:]) == sorted(line.pk for line in wanted)
    assert {r[10] for r in rows[3:]} == {"已到账"}
