"""The 一码清 village and township pages show the library's projects and funds (the page reads public_projects)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from jingzhun.core.actions import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_caches(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.PUBLIC_RATE_LIMIT_DB = tmp_path / "public-ratelimit.sqlite3"
    for alias in ("default", "public"):
        caches[alias].clear()
    yield
    for alias in ("default", "public"):
        caches[alias].clear()


def _page(system: Actor, region: Any, client: Client) -> str:
    from jingzhun.public.actions import issue_token

    response = client.get(f"/q/{issue_token(system, region).token}/")
    assert response.status_code == 200
    return response.content.decode()


def test_village_and_township_pages_list_their_projects(
    client: Client, system: Actor, regions: dict[str, Any], make_project: Callable[..., Any]
) -> None:
    make_project(
        "V11-PV", "141102001001", name="信义村光伏扶贫电站", funds={"central": 500_000_00, "integrated": 245_000_50}
    )
    make_project("T1-RELOC", "141102001000", name="信义镇集中安置点", kind="relocation")
    make_project("V21-PV", "141102002001", name="吴城村光伏扶贫电站")

    village = _page(system, regions["v11"], client)
    assert "信义村光伏扶贫电站" in village and "745,000.50" in village
    assert "整合涉农资金" in village and "245,000.50" in village
    assert "信义镇集中安置点" not in village and "吴城村光伏扶贫电站" not in village

    township = _page(system, regions["t1"], client)
    assert "信义村光伏扶贫电站" in township and "信义镇集中安置点" in township
    assert "吴城村光伏扶贫电站" not in township
