"""The 2020 监测规模 check (POLICY.md §8): 监测对象 persons against 建档立卡 persons, 5 % (10 % deep-poverty)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

D = dt.date


def _persons(household: Any, village: str, n: int, **fields: Any) -> None:
    """``n`` persons in households of at most five (the fixture's id numbers allow five a household)."""
    while n > 0:
        household(village, members=[{} for _ in range(min(n, 5))], **fields)
        n -= 5


def test_marginal_monitored_persons_count_above_the_line_but_not_below(household: Any) -> None:
    from jingzhun.monitoring.cases.queries import share_warning

    _persons(household, "v11", 20)  # 建档立卡, exited, not monitored
    _persons(household, "v11", 10, status="not_exited")  # 建档立卡, not exited
    _persons(household, "v12", 2, monitored=True)  # 脱贫不稳定户: counted on both sides
    _persons(household, "v11", 1, status=None, marginal=True, monitored=True)  # 边缘户: above only
    _persons(household, "v11", 5, status=None, marginal=True)  # 边缘户 not (yet) monitored
    _persons(household, "v11", 7, status=None)  # an ordinary household
    _persons(household, "v91", 3, status=None, marginal=True, monitored=True)  # another county
    w = share_warning("141102", D(2020, 6, 1))
    assert (w.monitored, w.registered, w.limit) == (3, 32, Fraction("0.05"))
    assert w.warn  # 3 > 0.05 × 32 = 1.6
    assert "监测对象 3 人，建档立卡 32 人（9.4%）" in w.message and "超过建档立卡人数的 5%" in w.message


def test_at_the_limit_no_warning_and_none_outside_2020(household: Any) -> None:
    from jingzhun.monitoring.cases.queries import share_warning

    _persons(household, "v11", 19)
    _persons(household, "v11", 1, monitored=True)
    w = share_warning("141102", D(2020, 6, 1))
    assert (w.monitored, w.registered) == (1, 20) and not w.warn  # exactly 5 %: not more than
    _persons(household, "v11", 1, status=None, marginal=True, monitored=True)
    assert share_warning("141102", D(2020, 6, 1)).warn  # 2 > 1.05
    later = share_warning("141102", D(2021, 3, 1))
    assert later.limit is None and not later.warn and "仅 2020 年" in later.message


def test_a_deep_poverty_county_is_warned_above_10_percent_and_told_why(household: Any, regions: dict[str, Any]) -> None:
    """兴县 holds its own value (the 深度贫困县 variant): 8 % there is no warning, and the basis says so."""
    from jingzhun.monitoring.cases.queries import share_warning
    from jingzhun.registry.models import Region

    county = Region.objects.get(code="141123")
    township = Region.objects.create(code="141123001000", name="蔚汾镇", level="township", parent=county)
    regions["x1"] = Region.objects.create(code="141123001001", name="蔚汾村", level="village", parent=township)
    _persons(household, "x1", 23)
    _persons(household, "x1", 2, monitored=True)  # 2 of 25 = 8 %: above 5 %, not above 10 %
    w = share_warning("141123", D(2020, 6, 1))
    assert (w.monitored, w.registered, w.limit, w.deep, w.warn) == (2, 25, Fraction("0.1"), True, False)
    assert "未超过 10%。适用 10%：本县列为深度贫困县（名单：兴县、临县、石楼县、岚县）" in w.message
    assert "待核实" in w.basis
    general = share_warning("141102", D(2020, 6, 1))
    assert not general.deep and general.limit == Fraction("0.05") and "适用 5%" in general.basis
    _persons(household, "x1", 1, monitored=True)  # 3 of 26 = 11.5 % > 10 %
    assert share_warning("141123", D(2020, 6, 1)).warn
