"""Every persona against a household in their own village, a sibling village, a sibling township and
another county: who may list it, read it, change it — on the pages and through the API.

Reading outside one's scope is a 404 (indistinguishable from a missing id); writing inside it is allowed
for every role but the auditor (403) and the 帮扶 cadre (who only proposes changes); nothing changes when
a write is refused.
"""

from __future__ import annotations

from typing import Any

import pytest

from jingzhun.core.models import AuditEvent
from tests.registry.test_views_edit import household_form
from tests.staff import listed

pytestmark = pytest.mark.django_db

PLACES = ("own", "own_other", "sibling_village", "sibling_township", "other_county")
HEADS = {
    "own": "刘保平",
    "own_other": "孙有福",
    "sibling_village": "张建国",
    "sibling_township": "李桂兰",
    "other_county": "赵文华",
}
SEES: dict[str, set[str]] = {
    "alice": {"own", "own_other", "sibling_village", "sibling_township"},  # county 离石区
    "tom": {"own", "own_other", "sibling_village"},  # township 信义镇
    "victor": {"own", "own_other"},  # village 信义村
    "carl": {"own"},  # 帮扶 cadre: only the household assigned to him
    "audrey": set(PLACES),  # auditor 吕梁市: reads the whole city
    "zoe": {"other_county"},  # county 交口县
    "root": set(PLACES),  # administrator
}
READ_ONLY = {"audrey"}
PROPOSES_ONLY = {"carl"}  # 帮扶 cadre: writes 帮扶记录 and proposes changes, edits nothing in the registry
CASES = [(persona, place) for persona in SEES for place in PLACES]


@pytest.mark.parametrize("persona", list(SEES))
def test_list_page_shows_exactly_the_personas_households(login: Any, world: Any, persona: str) -> None:
    rows = listed(login(persona).get("/households/").content.decode())
    shown = {place for place in PLACES if HEADS[place] in rows}
    assert shown == SEES[persona]


@pytest.mark.parametrize("persona", list(SEES))
def test_api_list_shows_exactly_the_personas_households(login: Any, world: Any, persona: str) -> None:
    body = login(persona).get("/api/households?limit=200").json()
    shown = {place for place in PLACES if world[place].pk in {item["id"] for item in body["items"]}}
    assert shown == SEES[persona] and body["count"] == len(SEES[persona])


@pytest.mark.parametrize(("persona", "place"), CASES)
def test_detail_edit_and_api_follow_the_scope(login: Any, world: Any, persona: str, place: str) -> None:
    household = world[place]
    client = login(persona)
    visible = place in SEES[persona]
    detail = client.get(f"/households/{household.pk}/")
    assert detail.status_code == (200 if visible else 404)
    assert client.get(f"/api/households/{household.pk}").status_code == (200 if visible else 404)
    entitlements = client.get(f"/api/households/{household.pk}/entitlements?month=2020-06")
    assert entitlements.status_code == (200 if visible else 404)

    response = client.post(f"/households/{household.pk}/edit/", household_form(household, address="新地址9号"))
    household.refresh_from_db()
    if not visible:
        assert response.status_code == 404 and household.address != "新地址9号"
    elif persona in READ_ONLY:
        assert response.status_code == 403 and household.address != "新地址9号"
    elif persona in PROPOSES_ONLY:  # the edit page offers the bank account only, as a request
        assert household.address != "新地址9号" and not AuditEvent.objects.filter(action="registry.update_household")
    else:
        assert response.status_code == 302 and household.address == "新地址9号"


@pytest.mark.parametrize(("persona", "place"), CASES)
def test_member_and_income_edits_follow_the_scope(login: Any, world: Any, persona: str, place: str) -> None:
    from jingzhun.registry.models import IncomeRecord

    household = world[place]
    head = household.persons.get(relation="head")
    client = login(persona)
    keys = ("wages_fen", "farming_fen", "business_fen", "property_fen", "transfer_fen")
    data = {f"p{head.pk}_{k}": "0" for k in keys} | {f"p{head.pk}_wages_fen": "999"}
    income = client.post(f"/households/{household.pk}/income/2021/", data)
    person = client.get(f"/households/{household.pk}/persons/{head.pk}/edit/")
    written = IncomeRecord.objects.filter(person=head, year=2021).exists()
    if place not in SEES[persona]:
        assert (income.status_code, person.status_code, written) == (404, 404, False)
    elif persona in READ_ONLY | PROPOSES_ONLY:
        assert (income.status_code, person.status_code, written) == (403, 403, False)
    else:
        assert (income.status_code, person.status_code, written) == (302, 200, True)
