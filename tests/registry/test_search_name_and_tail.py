"""Issue #15: the household search takes a name and the last 4 characters of an ID number together
("吴全华 0013"): only the member with both, not everyone whose ID ends so nor every 吴全华."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.staff import listed, make_household

from .conftest import FAR_VILLAGE, OTHER_VILLAGE, VILLAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(villages: dict[str, Any]) -> dict[str, Any]:
    return {
        "wu": make_household(villages[VILLAGE], "1411020010010031", "吴全华"),
        "wu_other": make_household(villages[OTHER_VILLAGE], "1411020010020032", "吴全华"),
        "li": make_household(villages[VILLAGE], "1411020010010033", "李春生"),
        "far": make_household(villages[FAR_VILLAGE], "1411300010010034", "吴全华"),
    }


def _tail(household: Any) -> str:
    return str(household.persons.get(relation="head").id_number[-4:])


@pytest.mark.parametrize("order", ["name_first", "tail_first", "full_width_space"])
def test_name_and_id_tail_find_that_member_only(three: dict[str, Any], actors: dict[str, Any], order: str) -> None:
    tail = _tail(three["wu"])
    q = {"name_first": f"吴全华 {tail}", "tail_first": f"{tail} 吴全华", "full_width_space": f"吴全华\u3000{tail}"}[
        order
    ]
    client = Client()
    client.force_login(actors["alice"].user)
    page = client.get("/households/", {"q": q})
    html = page.content.decode()
    rows = listed(html)
    assert page.status_code == 200 and "按姓名「吴全华」和身份证号后 4 位" in html
    assert three["wu"].household_no in rows
    assert three["wu_other"].household_no not in rows and three["li"].household_no not in rows


def test_the_region_scope_still_applies(three: dict[str, Any], actors: dict[str, Any]) -> None:
    client = Client()
    client.force_login(actors["victor"].user)  # a village cadre: 交口县's 吴全华 is not his to see
    rows = listed(client.get("/households/", {"q": f"吴全华 {_tail(three['far'])}"}).content.decode())
    assert three["far"].household_no not in rows
