"""Issue #15: the month-run preview compares each program with last month (人数, 金额, 增减) and warns when
the month's CPI is missing (价格临时补贴 would not be paid) — July no longer silently loses the subsidy."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from jingzhun.ledger.actions import set_cpi
from jingzhun.ledger.models import PaymentLine
from jingzhun.ledger.runs import run_month
from jingzhun.policy.money import fen_to_grouped
from tests.ledger.test_run_views import preview

pytestmark = pytest.mark.django_db


def _row(page: str, name: str) -> list[str]:
    """The cells of the 与上月比较 row of program ``name``."""
    table = page[page.index("与上月比较") :]
    row = re.search(rf"<tr[^>]*><td[^>]*>{name}</td>(.*?)</tr>", table, re.S)
    assert row, name
    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def test_july_without_cpi_warns_and_shows_the_subsidy_falling_to_zero(
    county: dict[str, Any], system: Any, login: Any, personas: Any
) -> None:
    set_cpi(system, dt.date(2020, 6, 1), all_items="5.2", food="21.9", source="统计月报")
    run_month("2020-06", region_prefix="141102", actor=system)
    june = PaymentLine.objects.filter(month="2020-06-01")
    june_subsidy = sum(june.filter(program="price_subsidy").values_list("amount_fen", flat=True))
    june_dibao = sum(june.filter(program="dibao").values_list("amount_fen", flat=True))
    assert june_subsidy > 0

    page = preview(login("alice"), "2020-07", county="141102")
    assert "本月CPI未录入：价格临时补贴将不发放" in page
    assert f"上月发放 {fen_to_grouped(june_subsidy)} 元" in page
    subsidy = _row(page, "价格临时补贴")
    assert subsidy[1] == "0.00" and subsidy[3] == fen_to_grouped(june_subsidy)
    assert subsidy[5] == "-" + fen_to_grouped(june_subsidy)
    dibao = _row(page, "低保补差")  # unchanged: the same people and amount as June
    assert dibao[1] == dibao[3] == fen_to_grouped(june_dibao) and dibao[4] == "0" and dibao[5] == "0.00"
    assert int(dibao[0]) == int(dibao[2]) > 0


def test_with_the_months_cpi_there_is_no_warning(
    county: dict[str, Any], system: Any, login: Any, personas: Any
) -> None:
    for month in (dt.date(2020, 6, 1), dt.date(2020, 7, 1)):
        set_cpi(system, month, all_items="5.2", food="21.9", source="统计月报")
    run_month("2020-06", region_prefix="141102", actor=system)
    page = preview(login("alice"), "2020-07", county="141102")
    assert "CPI未录入" not in page
    subsidy = _row(page, "价格临时补贴")
    assert subsidy[1] == subsidy[3] and subsidy[5] == "0.00"
