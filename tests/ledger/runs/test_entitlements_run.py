"""The household page's 应享待遇 is computed with the month run's inputs, so it equals what the run pays."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum

from jingzhun.core.actions import Actor
from jingzhun.ledger.entitlements import household_entitlements
from jingzhun.ledger.models import CpiMonth, PaymentLine
from jingzhun.ledger.runs import run_month
from tests.policy.trees import use_no_urban_standard
from tests.staff import make_household

pytestmark = pytest.mark.django_db


def paid_fen(household: Any, month: dt.date) -> int:
    total = PaymentLine.objects.filter(household=household, month=month).aggregate(s=Sum("amount_fen"))["s"]
    return int(total or 0)


def set_cpi(month: dt.date, all_items: str = "5.2", food: str = "21.9") -> None:
    CpiMonth.objects.create(
        month=month, all_items=Decimal(all_items), food=Decimal(food), source="测试", actor_label="test"
    )


def test_with_cpi_entered_the_page_total_is_what_the_run_pays(world: dict[str, Any]) -> None:
    household, first = world["own"], dt.date(2020, 6, 1)
    set_cpi(first)
    result = household_entitlements(household, "2020-06")
    assert not result.errors
    assert "价格临时补贴" in {line.program_name for line in result.lines}
    run_month("2020-06", region_prefix="141102", actor=Actor.system("test"))
    assert paid_fen(household, first) > 0
    assert result.payable_fen == paid_fen(household, first)


def test_without_cpi_there_is_no_price_subsidy_and_the_totals_still_agree(world: dict[str, Any]) -> None:
    household, first = world["own"], dt.date(2020, 6, 1)
    result = household_entitlements(household, "2020-06")
    assert "价格临时补贴" not in {line.program_name for line in result.lines}
    run_month("2020-06", region_prefix="141102", actor=Actor.system("test"))
    assert result.payable_fen == paid_fen(household, first)


def test_the_household_page_shows_the_run_total(login: Any, world: dict[str, Any]) -> None:
    from jingzhun.policy.money import fen_to_str

    household, first = world["own"], dt.date(2020, 6, 1)
    set_cpi(first)
    run_month("2020-06", region_prefix="141102", actor=Actor.system("test"))
    page = login("alice").get(f"/households/{household.pk}/?month=2020-06").content.decode()
    assert f"可发放 <strong>{fen_to_str(paid_fen(household, first))}</strong> 元" in page
    assert "价格临时补贴" in page


def test_a_missing_parameter_is_named_in_chinese(
    login: Any, world: dict[str, Any], regions: dict[str, Any], monkeypatch: Any
) -> None:
    use_no_urban_standard(monkeypatch)
    urban = make_household(regions["v11"], "1411020010010009", "钱广福", area="urban", families=("dibao",))
    result = household_entitlements(urban, "2020-07")
    assert result.errors, "the test parameters have no 离石区 urban standard for 2020-07"
    assert any("缺少参数：城市低保标准（每人每年）" in e and "2020-07-01 起" in e for e in result.errors)
    assert not any("无参数" in e or "dibao.standard" in e for e in result.errors)
    page = login("alice").get(f"/households/{urban.pk}/?month=2020-07").content.decode()
    assert "缺少参数：城市低保标准（每人每年）" in page and "dibao.standard.urban" not in page


def test_a_bad_month_is_refused_without_an_english_key(world: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="月份应为 YYYY-MM") as refused:
        household_entitlements(world["own"], "2020-13")
    assert "[month]" not in str(refused.value)


def test_temporary_assistance_of_the_month_and_its_late_payment_agree_with_the_run(world: dict[str, Any]) -> None:
    from tests.ledger.test_run_month_events import approved_emergency

    household, june, july = world["own"], dt.date(2020, 6, 1), dt.date(2020, 7, 1)
    system = Actor.system("test")
    approved_emergency(household, 200_000, dt.date(2020, 6, 5))
    in_june = household_entitlements(household, "2020-06")
    run_month("2020-06", region_prefix="141102", actor=system)
    assert in_june.payable_fen == paid_fen(household, june)
    assert any(line.program == "temporary_assistance" and line.payable for line in in_june.lines)
    approved_emergency(household, 100_000, dt.date(2020, 6, 20))  # approved after June ran: paid in July (补发)
    in_july = household_entitlements(household, "2020-07")
    assert any("补发 2020-06" in line.program_name for line in in_july.lines)
    run_month("2020-07", region_prefix="141102", actor=system)
    assert in_july.payable_fen == paid_fen(household, july)


def test_the_household_page_shows_each_lines_sentence(login: Any, world: dict[str, Any]) -> None:
    """Issue #13 §3: the sentence a cadre reads aloud, as ``jingzhun entitle`` explains the line."""
    household = world["own"]
    result = household_entitlements(household, "2020-06")
    sentences = [line.raw["explain"]["sentence"] for line in result.lines]
    assert sentences and all(" = " in s and s.endswith(("元", "（定额）")) for s in sentences)
    page = login("alice").get(f"/households/{household.pk}/?month=2020-06").content.decode()
    assert all(s in page for s in sentences)
