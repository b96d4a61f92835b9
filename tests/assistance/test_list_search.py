"""Issue #15: the 申请, 在册对象 and 待复核 lists search by a member's name (and "name + ID tail"), not only
by 户编号; the region scope still applies."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(personas: dict[str, Any], household: Any, actor: Any, walk: Any) -> dict[str, Any]:
    from jingzhun.assistance import actions

    victor = actor(personas["victor"])
    out = {}
    for key in ("here", "other"):
        home = household("v11")
        app = actions.create_application(victor, home, "dibao", on=dt.date(2020, 5, 1))
        out[key] = (home, walk(app, "county_decision"))
    far = household("v21")  # another township of 离石区: taken at the county window, not yet surveyed
    out["far"] = (far, actions.create_application(actor(personas["alice"]), far, "dibao", on=dt.date(2020, 5, 1)))
    return out


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _names(home: Any) -> tuple[str, str]:
    head = home.persons.get()
    return head.name, head.id_number[-4:]


@pytest.mark.parametrize("url", ["/assistance/", "/assistance/enrollments/", "/assistance/due/"])
def test_a_name_finds_the_household_in_each_list(
    url: str, enrolled: dict[str, Any], personas: dict[str, Any], settings: Any
) -> None:
    settings.WORKING_MONTH = "2021-07"  # the yearly review (2021-06) has fallen due: all three on 待复核
    client = Client()
    client.force_login(personas["alice"])
    here, other = enrolled["here"][0], enrolled["other"][0]
    name, tail = _names(here)
    for q in (name, f"{name} {tail}"):
        html = client.get(url, {"q": q, "status": ""}).content.decode()
        assert here.household_no in html and other.household_no not in html, (url, q)
    assert f'value="{name}"' in client.get(url, {"q": name}).content.decode()  # the box keeps the search


def test_the_scope_still_applies_to_a_name_search(enrolled: dict[str, Any], personas: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["tom"])  # 信义镇: 吴城村 (v21) is another township's
    far = enrolled["far"][0]
    assert far.household_no in client_for(personas["alice"]).get("/assistance/", {"q": _names(far)[0]}).content.decode()
    html = client.get("/assistance/", {"q": _names(far)[0]}).content.decode()
    assert far.household_no not in html
