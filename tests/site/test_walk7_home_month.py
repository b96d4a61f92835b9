"""Walk 7: the demo works in 2020-07, but its ledger already holds lines for later months (住院 settlements
to the year's end), and the 工作台 showed "2020-12 发放" as 本月. 本月发放 is now the latest month up to the
working month, for a region (village counts) and for a 帮扶 cadre (their own lines) alike."""

from __future__ import annotations

from typing import Any

import pytest

from tests.dashboard.conftest import add_later_line
from tests.staff import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def later_line(regions: dict[str, Any], personas: dict[str, Any]) -> dict[str, Any]:
    return add_later_line(build_world(regions, personas))


@pytest.mark.parametrize("persona", ["alice", "victor", "carl"])
def test_the_home_month_is_not_after_the_working_month(
    login: Any, later_line: Any, settings: Any, persona: str
) -> None:
    settings.WORKING_MONTH = "2020-07"
    html = login(persona).get("/").content.decode()
    assert "2020-06 发放（元）" in html and "2020-12 发放" not in html
    settings.WORKING_MONTH = "2021-01"
    html = login(persona).get("/").content.decode()
    assert "2020-12 发放（元）" in html and "123.45" in html
