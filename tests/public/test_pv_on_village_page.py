"""光伏收益 on the 一码清 village page: the village's stations and capacity, each year's revenue and how it
was distributed by use, in yuan — public, so no post holder's or any household's name; other villages'
and townships' pages show no PV block."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from jingzhun.public.actions import issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def pv_village(regions: Any, make_household: Any, system: Any) -> Any:
    from jingzhun.projects import pv_actions as pv
    from jingzhun.projects.post_actions import create_post

    household = make_household(regions["v11"], ["张三明", "李秀梅"], registered_year=2016, status="not_exited")
    worker = household.persons.exclude(relation="head").first()
    worker.labour = "full"
    worker.save()
    post = create_post(
        system,
        village_code="141102001001",
        kind="welfare",
        title="光伏电站看护员",
        holder_id_number=worker.id_number,
        start_month=dt.date(2018, 1, 1),
        month_wage_fen=60_000,
        funding="pv_revenue",
    )
    one = pv.create_station(
        system, village_code="141102001001", name="信义村光伏电站", capacity_kw=Decimal("300"), built_year=2016
    )
    two = pv.create_station(
        system, village_code="141102001001", name="信义村二期电站", capacity_kw=Decimal("100.5"), built_year=2017
    )
    pv.record_year(system, one, year=2018, generation_kwh=662_000, revenue_fen=21_700_000)
    pv.record_year(system, two, year=2018, generation_kwh=100_000, revenue_fen=3_000_000)
    pv.record_year(system, one, year=2019, generation_kwh=650_000, revenue_fen=20_000_000)
    pv.distribute(
        system,
        village_code="141102001001",
        year=2018,
        lines=[
            {"use": "public_welfare_wages", "amount_fen": 720_000, "post": post.pk},
            {"use": "small_public_works", "amount_fen": 10_000_000, "payee": "信义村村委会"},
            {"use": "rewards", "amount_fen": 500_050, "condition": "孝亲敬老模范户"},
        ],
    )
    return worker


def test_the_village_page_shows_stations_revenue_and_distribution_without_names(
    client: Any, regions: Any, system: Any, pv_village: Any
) -> None:
    text = client.get(f"/q/{issue_token(system, regions['v11']).token}/").content.decode()
    block = text.split("村级光伏电站收益", 1)[1]
    assert "信义村光伏电站（300.00 千瓦）" in block and "信义村二期电站（100.50 千瓦）" in block
    assert "合计 400.50 千瓦" in block
    rows = block.split('id="pv-years"', 1)[1]
    y2019, y2018 = rows.split("<tr><td>2019</td>", 1)[1], rows.split("<tr><td>2018</td>", 1)[1]
    assert y2019.index("200,000.00") < y2019.index("</tr>")
    row2018 = y2018[: y2018.index("</tr>")]
    for amount in ("762000", "247,000.00", "7,200.00", "100,000.00", "5,000.50"):
        assert amount in row2018, amount
    assert '累计未分配收益 <span class="money">334,799.50</span>' in block  # 447 000 − 112 200.50
    assert pv_village.name not in text and "张三明" not in text
    assert "孝亲敬老模范户" not in text and "信义村村委会" not in text  # totals by use only


def test_other_pages_show_no_pv_block(client: Any, regions: Any, system: Any, pv_village: Any) -> None:
    for region in ("v12", "t1"):
        text = client.get(f"/q/{issue_token(system, regions[region]).token}/").content.decode()
        assert "村级光伏电站收益" not in text and "信义村光伏电站" not in text


def test_a_new_year_of_revenue_shows_once_the_page_ages_out(
    client: Any, regions: Any, system: Any, pv_village: Any
) -> None:
    from django.core.cache import caches

    from jingzhun.projects import pv_actions as pv
    from jingzhun.projects.models import PvStation

    url = f"/q/{issue_token(system, regions['v11']).token}/"
    assert "<tr><td>2020</td>" not in client.get(url).content.decode()
    pv.record_year(system, PvStation.objects.get(name="信义村二期电站"), year=2020, generation_kwh=1, revenue_fen=1234)
    caches["public"].clear()  # what MAX_AGE seconds do
    assert "<tr><td>2020</td>" in client.get(url).content.decode()
