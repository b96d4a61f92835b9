"""The 一张图's default month is the latest paid month up to the working month: the demo works in 2020-07 but its
ledger already holds 2020-12 (住院 settlements booked to the year's end), which the page used to open on."""

from __future__ import annotations

from typing import Any

import pytest

from tests.dashboard.conftest import add_later_line
from tests.staff import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def later_line(regions: dict[str, Any], personas: dict[str, Any]) -> dict[str, Any]:
    return add_later_line(build_world(regions, personas))


@pytest.mark.parametrize("persona", ["alice", "tom"])
def test_the_dashboard_opens_on_the_working_month_not_a_later_one(
    login: Any, later_line: Any, settings: Any, persona: str
) -> None:
    settings.WORKING_MONTH = "2020-07"
    html = login(persona).get("/dashboard/").content.decode()
    assert 'name="month" value="2020-06"' in html and "2020-12" not in html
    settings.WORKING_MONTH = "2021-01"
    html = login(persona).get("/dashboard/").content.decode()
    assert 'name="month" value="2020-12"' in html
