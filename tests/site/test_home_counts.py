"""工作台 counts the households the user may read (their list), so a 帮扶 cadre counts only their own."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.staff import make_household

pytestmark = pytest.mark.django_db


def stats(client: Any) -> list[int]:
    """户数, 人数, 建档立卡户 as the home page shows them."""
    page = client.get("/").content.decode()
    return [int(n) for n in re.findall(r'<div class="stat">(\d+)</div>', page)]


@pytest.fixture
def village(world: dict[str, Any], regions: dict[str, Any], personas: dict[str, Any]) -> dict[str, Any]:
    """信义村 with carl's two households (3 people), one other (1 person, not 建档立卡) and a second cadre with none."""
    from django.contrib.auth.models import User

    from jingzhun.core.models import Role, StaffProfile

    world["own_other"].assigned_cadre = personas["carl"]
    world["own_other"].save(update_fields=["assigned_cadre"])
    make_household(regions["v11"], "1411020010010003", "周永福", registered_year=None, status="not_poor")
    idle = User.objects.create_user("cora", password="pw-12345678")
    StaffProfile.objects.create(user=idle, role=Role.ASSIGNED_CADRE, region=regions["v11"])
    return world


def test_a_cadre_with_two_households_counts_those_two(login: Any, village: Any) -> None:
    assert stats(login("carl")) == [2, 3, 2]


def test_a_cadre_with_no_households_counts_zero(login: Any, village: Any) -> None:
    client = login("cora")
    assert stats(client) == [0, 0, 0]
    assert "我帮扶的户数" in client.get("/").content.decode()


def test_the_village_cadre_counts_the_whole_village(login: Any, village: Any) -> None:
    assert stats(login("victor")) == [3, 4, 2]


def test_the_home_page_agrees_with_the_household_list(login: Any, village: Any) -> None:
    """Two different pages, one answer: the home page's 户数 is the household list's 共 N 户 for every role."""
    for name in ("carl", "cora", "victor", "tom", "alice", "audrey"):
        client = login(name)
        listed = re.search(r"共 <strong>(\d+)</strong> 户", client.get("/households/").content.decode())
        assert listed is not None, name
        assert stats(client)[0] == int(listed.group(1)), name
