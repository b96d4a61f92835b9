"""Issue #15: 新建申请 picks the household by name (a search step), not by typing a 16-digit number; only
households in the cadre's own area are offered."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_village_cadre_finds_the_household_by_name_and_chooses_it(personas: dict[str, Any], household: Any) -> None:
    here, elsewhere = household("v11"), household("v12")  # 信义村 is victor's; 歧道村 is not
    name, other = here.persons.get().name, elsewhere.persons.get().name
    client = Client()
    client.force_login(personas["victor"])
    found = client.get("/assistance/new/", {"find": name}).content.decode()
    assert here.household_no in found and "选择此户" in found
    assert f"?household={here.household_no}" in found
    none = client.get("/assistance/new/", {"find": other}).content.decode()
    assert elsewhere.household_no not in none and f"没有找到「{other}」" in none
    tail = here.persons.get().id_number[-4:]
    assert here.household_no in client.get("/assistance/new/", {"find": f"{name} {tail}"}).content.decode()
    chosen = client.get("/assistance/new/", {"household": here.household_no}).content.decode()
    assert f'value="{here.household_no}"' in chosen and f"户主 {name}" in chosen
