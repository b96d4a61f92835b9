"""The household page opens on this month, or on the last month paid when the county works on past data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from jingzhun.ledger.entitlements import default_month
from jingzhun.ledger.runs import run_month

pytestmark = pytest.mark.django_db


def _months_before_now(n: int) -> str:
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - n
    return f"{dt.date(index // 12, index % 12 + 1, 1):%Y-%m}"


def test_no_run_yet_opens_on_this_month(county: dict[str, Any]) -> None:
    assert default_month("141102001001") == _months_before_now(0)


def test_a_county_last_paid_long_ago_opens_on_that_month(county: dict[str, Any], system: Any) -> None:
    run_month("2020-05", region_prefix="141102", actor=system)
    run_month("2020-06", region_prefix="141102001", actor=system)
    assert default_month("141102001001") == "2020-06"  # its township's run
    assert default_month("141102002001") == "2020-05"  # another township: the county's run
    assert default_month("141130001001") == _months_before_now(0)  # another county: none of these


def test_a_county_paying_now_opens_on_this_month(county: dict[str, Any], system: Any) -> None:
    run_month(_months_before_now(1), actor=system)
    assert default_month("141102001001") == _months_before_now(0)


def test_the_household_page_shows_the_default_month(county: dict[str, Any], system: Any, client: Any) -> None:
    from django.contrib.auth.models import User

    run_month("2020-06", actor=system)
    household = county["households"][0]
    client.force_login(User.objects.create_superuser("boss", password="x"))
    page = client.get(f"/households/{household.pk}/").content.decode()
    assert "2020-06 应享待遇" in page
