"""The 民生账本 page (``/ledger/household/<户编号>/``) follows the same scope as the household page.

Every persona against a household in their own village, a sibling village, a sibling township and another
county: a household the persona may not read is missing (404, like a 户编号 that does not exist, never 403),
and a 帮扶 cadre reads only the statements of the households assigned to them.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.registry.test_views_role_region_matrix import CASES, HEADS, SEES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("persona", "place"), CASES)
def test_statement_page_follows_the_household_scope(login: Any, world: Any, persona: str, place: str) -> None:
    household = world[place]
    client = login(persona)
    statement = client.get(f"/ledger/household/{household.household_no}/")
    detail = client.get(f"/households/{household.pk}/")
    visible = place in SEES[persona]
    assert statement.status_code == (200 if visible else 404)
    assert statement.status_code == detail.status_code  # one scope for both pages
    page = statement.content.decode()
    assert (HEADS[place] in page) == visible and ("民生账本" in page) == visible


@pytest.mark.parametrize("persona", list(SEES))
def test_an_unknown_household_number_is_the_same_404(login: Any, world: Any, persona: str) -> None:
    client = login(persona)
    missing = client.get("/ledger/household/1411029999999999/")
    outside = client.get(f"/ledger/household/{world['other_county'].household_no}/")
    assert missing.status_code == 404
    if persona not in {"zoe", "audrey", "root"}:
        assert outside.status_code == 404 and HEADS["other_county"] not in outside.content.decode()


def test_a_cadre_loses_the_statement_when_the_household_is_reassigned(login: Any, world: Any, personas: Any) -> None:
    household = world["own"]
    client = login("carl")
    assert client.get(f"/ledger/household/{household.household_no}/").status_code == 200
    household.assigned_cadre = personas["victor"]
    household.save(update_fields=["assigned_cadre"])
    assert client.get(f"/ledger/household/{household.household_no}/").status_code == 404
