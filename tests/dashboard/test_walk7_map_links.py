"""Walk 7: on 一张图地图 a village or township login's table row (its county's name over its own figures) linked
the county's 一张图, which answers it 404. The row now links the login's own 一张图; a city login still drills
into each county."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def table_links(html: str) -> list[tuple[str, str]]:
    table = html[html.index("<h2>各县数据</h2>") :]
    return re.findall(r'<td><a href="([^"]+)">([^<]+)</a></td>', table)


@pytest.mark.parametrize("persona", ["victor", "tom"])
def test_a_village_or_township_row_links_its_own_dashboard(login: Any, dash_world: Any, persona: str) -> None:
    client = login(persona)
    links = table_links(client.get("/dashboard/map/").content.decode())
    assert links == [("/dashboard/", "离石区（本辖区）")]
    assert all(client.get(href).status_code == 200 for href, _ in links)
    assert client.get("/dashboard/?region=141102").status_code == 404  # what the row used to link


def test_the_auditor_drills_into_each_county(login: Any, dash_world: Any) -> None:
    client = login("audrey")
    links = table_links(client.get("/dashboard/map/").content.decode())
    assert ("/dashboard/?region=141102", "离石区") in links and ("/dashboard/?region=141130", "交口县") in links
    assert all(client.get(href).status_code == 200 for href, _ in links)
