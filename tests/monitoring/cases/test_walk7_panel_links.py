"""Walk 7: the 返贫预警 panel on the household page offered the auditor (read-only) 登记风险事件 and 边缘易致贫户
认定或取消, both of which answer 403. The panel now shows each link only to the roles that may follow it; the
auditor still reads whether the household is 边缘易致贫户."""

from __future__ import annotations

from typing import Any

import pytest

from tests.staff import make_household

pytestmark = pytest.mark.django_db

NEW = "/monitoring/cases/new/?household="
MARGINAL = "/monitoring/cases/marginal/"


@pytest.fixture
def unregistered(world: Any, regions: Any) -> Any:
    """A household not in 建档立卡 (registered_year None): the panel offers 边缘易致贫户 for it."""
    return make_household(regions["v11"], "1411020010010077", "柳成荫", registered_year=None, status="")


def test_the_auditor_reads_the_panel_without_write_links(login: Any, unregistered: Any) -> None:
    page = login("audrey").get(f"/households/{unregistered.pk}/").content.decode()
    assert "边缘易致贫户：否" in page
    assert NEW not in page and MARGINAL not in page
    assert login("audrey").get(f"{MARGINAL}{unregistered.household_no}/").status_code == 403


@pytest.mark.parametrize("persona", ["alice", "victor"])
def test_the_county_and_village_see_both_links(login: Any, unregistered: Any, persona: str) -> None:
    client = login(persona)
    page = client.get(f"/households/{unregistered.pk}/").content.decode()
    assert NEW + unregistered.household_no in page and MARGINAL + unregistered.household_no in page
    assert client.get(f"{MARGINAL}{unregistered.household_no}/").status_code == 200


def test_the_assigned_cadre_may_report_on_his_household(login: Any, world: Any) -> None:
    own = world["own"]
    page = login("carl").get(f"/households/{own.pk}/").content.decode()
    assert NEW + own.household_no in page and MARGINAL not in page
