"""Issue #15: money in one format on every page (thousands separators, two decimals: 1,234.50) — the
民生账本's running total and the month-run report (the admin's income list: tests/registry/test_admin.py;
the 项目库 import summary: tests/projects/test_import.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from jingzhun.ledger.runs import run_month

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_household_statement_total_is_grouped(county: dict[str, Any], system: Any, personas: Any) -> None:
    for month in ("2020-04", "2020-05", "2020-06"):
        run_month(month, region_prefix="141102", actor=system)
    household = county["households"][0]
    page = _client(personas["alice"]).get(f"/ledger/household/{household.household_no}/").content.decode()
    assert '累计净额：<span class="stat">1,545.90</span> 元' in page  # 3 × 515.30
    assert "1545.90" not in page


def test_the_run_report_amounts_are_grouped(county: dict[str, Any], system: Any, personas: Any) -> None:
    from tests.ledger.factories import elderly_poor_village

    elderly_poor_village(county["v11"], 2, prefix="M")  # six households: 6 × 515.30 = 3,091.80
    result = run_month("2020-06", region_prefix="141102", actor=system)
    page = _client(personas["alice"]).get(f"/runs/{result.run_id}/").content.decode()
    assert "<strong>3,091.80</strong> 元" in page and "3091.80" not in page
