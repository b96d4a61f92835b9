"""价格指数 page (/runs/cpi/): the CPI could only be entered with `jingzhun ledger cpi set`, so the month run's
"本月CPI未录入" warning sent a county officer to a shell (walk 7). The administrator and city-level officers
enter it here through ``set_cpi`` (one row, one audit row); county officers and auditors read; bad input is
refused with the field named and nothing written."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.staff import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(regions: dict[str, Any], personas: dict[str, Any]) -> dict[str, Any]:
    return build_world(regions, personas)


def test_the_administrator_enters_a_month_and_it_is_listed_and_audited(login: Any, world: Any) -> None:
    from jingzhun.core.models import AuditEvent
    from jingzhun.ledger.models import CpiMonth

    client = login("root")
    assert "<h2>录入或更正</h2>" in client.get("/runs/cpi/").content.decode()
    before = AuditEvent.objects.filter(action="set_cpi").count()
    response = client.post(
        "/runs/cpi/", {"month": "2020-07", "all_items": "2.7", "food": "13.2", "source": "吕梁市统计局 7 月月报"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?saved=2020-07")
    entry = CpiMonth.objects.get(month="2020-07-01")
    assert (entry.all_items, entry.food) == (Decimal("2.7"), Decimal("13.2"))
    assert AuditEvent.objects.filter(action="set_cpi").count() == before + 1
    html = client.get(response["Location"]).content.decode()
    assert "已保存 2020-07" in html and "吕梁市统计局 7 月月报" in html and "13.2" in html


def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(login: Any, world: Any) -> None:
    from jingzhun.ledger.models import CpiMonth

    client = login("root")
    response = client.post("/runs/cpi/", {"month": "2020-07", "all_items": "abc", "food": "1", "source": "x"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "居民消费价格指数同比涨幅" in html and 'value="abc"' in html
    response = client.post("/runs/cpi/", {"month": "2020-7x", "all_items": "1", "food": "1", "source": "x"})
    assert response.status_code == 400 and "月份 [month]" in response.content.decode()
    response = client.post("/runs/cpi/", {"month": "2020-07", "all_items": "1", "food": "1", "source": " "})
    assert response.status_code == 400 and "数据来源" in response.content.decode()
    assert not CpiMonth.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "audrey"])
def test_county_officers_and_auditors_read_but_may_not_enter(login: Any, world: Any, persona: str) -> None:
    from jingzhun.ledger.models import CpiMonth

    client = login(persona)
    html = client.get("/runs/cpi/").content.decode()
    assert "已录入的月份" in html and "<h2>录入或更正</h2>" not in html
    response = client.post("/runs/cpi/", {"month": "2020-07", "all_items": "1", "food": "1", "source": "x"})
    assert response.status_code == 403
    assert not CpiMonth.objects.exists()


@pytest.mark.parametrize("persona", ["tom", "victor", "carl"])
def test_township_village_and_help_cadres_are_refused(login: Any, world: Any, persona: str) -> None:
    assert login(persona).get("/runs/cpi/").status_code == 403


def test_the_month_run_page_links_it(login: Any, world: Any) -> None:
    assert 'href="/runs/cpi/"' in login("alice").get("/runs/").content.decode()
