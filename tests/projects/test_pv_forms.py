"""/projects/pv/ as staff use it: township and county add a station, record a year's revenue and enter a
distribution plan; the checker's Chinese refusals appear on the form with nothing written; village staff
and auditors read (403 on a form), another county is 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

pytestmark = pytest.mark.django_db
URL = "/projects/pv/"


@pytest.fixture
def station(world: dict[str, Any]) -> Any:
    from jingzhun.core.actions import Actor
    from jingzhun.projects import pv_actions as pv

    s = pv.create_station(
        Actor.system("test"),
        village_code="141102001001",
        name="信义村光伏电站",
        capacity_kw=Decimal("300"),
        built_year=2016,
    )
    pv.record_year(Actor.system("test"), s, year=2018, generation_kwh=662_000, revenue_fen=21_700_000)
    return s


@pytest.fixture
def pv_post(world: dict[str, Any]) -> Any:
    from jingzhun.core.actions import Actor
    from jingzhun.projects.post_actions import create_post

    return create_post(
        Actor.system("test"),
        village_code="141102001001",
        kind="welfare",
        title="光伏电站看护员",
        holder_id_number=world["own"].persons.get(labour="full").id_number,
        start_month=dt.date(2018, 1, 1),
        month_wage_fen=60_000,
        funding="pv_revenue",
    )


def test_the_county_adds_a_station_and_records_its_revenue(login: Any, world: dict[str, Any]) -> None:
    from jingzhun.core.models import AuditEvent
    from jingzhun.projects.models import PvStation, PvYear

    alice = login("alice")
    page = alice.get(URL).content.decode()
    assert 'id="station-form"' in page and 'id="plan-form"' in page
    done = alice.post(
        "/projects/pv/stations/new/",
        {"village": "141102001002", "name": "歧道村光伏电站", "capacity_kw": "200.5", "built_year": "2017"},
        follow=True,
    )
    assert "已登记光伏电站「歧道村光伏电站」（200.50 千瓦）" in done.content.decode()
    station = PvStation.objects.get()
    assert (station.village.code, station.capacity_kw, station.built_year) == ("141102001002", Decimal("200.50"), 2017)
    year = alice.post(
        "/projects/pv/years/new/",
        {"station": str(station.pk), "year": "2019", "generation_kwh": "250000", "revenue": "98765.43"},
        follow=True,
    )
    html = year.content.decode()
    assert "已登记「歧道村光伏电站」2019 年收益 98,765.43 元" in html
    assert PvYear.objects.get().revenue_fen == 9_876_543
    assert "98,765.43" in html.split('id="pv"')[1]  # the village's row in the table
    assert AuditEvent.objects.filter(action__in=["projects.create_pv_station", "projects.record_pv_year"]).count() == 2


def test_bad_station_and_year_input_is_shown_on_the_form_and_nothing_written(login: Any, station: Any) -> None:
    from jingzhun.projects.models import PvStation, PvYear

    tom = login("tom")
    bad = tom.post(
        "/projects/pv/stations/new/",
        {"village": "141102001001", "name": "", "capacity_kw": "三百", "built_year": "2016"},
    )
    html = bad.content.decode()
    assert bad.status_code == 400 and "[capacity_kw]" in html
    assert 'value="2016"' in html  # what was typed is kept
    again = tom.post(
        "/projects/pv/years/new/",
        {"station": str(station.pk), "year": "2018", "generation_kwh": "1", "revenue": "-5"},
    )
    text = again.content.decode()
    assert again.status_code == 400 and "[revenue_fen]" in text and "不能为负数" in text
    assert PvStation.objects.count() == 1 and PvYear.objects.count() == 1


def test_a_plan_is_entered_line_by_line(login: Any, station: Any, pv_post: Any) -> None:
    from jingzhun.projects.models import PvDistribution

    form = {
        "village": "141102001001",
        "year": "2018",
        "use_1": "public_welfare_wages",
        "amount_1": "7200",
        "post_1": str(pv_post.pk),
        "use_2": "small_public_works",
        "amount_2": "100000",
        "payee_2": "信义村村委会（村道硬化）",
        "use_3": "rewards",
        "amount_3": "5000.50",
        "condition_3": "孝亲敬老模范户",
    }
    done = login("tom").post("/projects/pv/plans/new/", form, follow=True)
    html = done.content.decode()
    assert "已登记 2018 年分配方案 3 行，合计 112,200.50 元" in html
    lines = list(PvDistribution.objects.order_by("id").values_list("use", "amount_fen", "payee"))
    assert lines == [
        ("public_welfare_wages", 720_000, pv_post.holder.name),
        ("small_public_works", 10_000_000, "信义村村委会（村道硬化）"),
        ("rewards", 500_050, ""),
    ]


def test_the_checkers_refusals_are_shown_on_the_plan_form(login: Any, station: Any) -> None:
    from jingzhun.projects.models import PvDistribution

    form = {
        "village": "141102001001",
        "year": "2018",
        "use_1": "cash_dividend",
        "amount_1": "100",
        "use_2": "rewards",
        "amount_2": "300000",
        "condition_2": "",
        "use_3": "small_public_works",
        "amount_3": "12.345",
    }
    response = login("alice").post("/projects/pv/plans/new/", form)
    html = response.content.decode()
    assert response.status_code == 400
    assert "第3行 [amount_fen]" in html and "最多两位小数" in html
    form["amount_3"] = "10"
    response = login("alice").post("/projects/pv/plans/new/", form)
    html = response.content.decode()
    assert "第1行 [use]：光伏收益只能用于公益岗位工资、小型公益事业、奖励补助，不得无条件发放现金或分红" in html
    assert "第2行 [condition]：奖励补助须写明奖励事由，不得无条件发放" in html
    assert "超过可分配收益 217000.00 元" in html
    assert 'value="300000"' in html
    assert not PvDistribution.objects.exists()


@pytest.mark.parametrize(("persona", "forms"), [("victor", False), ("audrey", False), ("tom", True), ("alice", True)])
def test_village_staff_and_auditors_read_the_page_without_forms(
    login: Any, station: Any, persona: str, forms: bool
) -> None:
    response = login(persona).get(URL)
    html = response.content.decode()
    assert response.status_code == 200 and "信义村光伏电站（300.00 千瓦）" in html
    assert ('id="plan-form"' in html) is forms


def test_another_county_does_not_see_the_station(login: Any, station: Any) -> None:
    html = login("zoe").get(URL).content.decode()
    assert "信义村光伏电站" not in html and "没有登记光伏电站" in html


@pytest.mark.parametrize(("persona", "status"), [("victor", 403), ("audrey", 403), ("carl", 403), ("zoe", 404)])
def test_who_may_not_write(login: Any, station: Any, persona: str, status: int) -> None:
    from jingzhun.projects.models import PvDistribution, PvStation, PvYear

    client = login(persona)
    posts = [
        (
            "/projects/pv/stations/new/",
            {"village": "141102001001", "name": "x", "capacity_kw": "1", "built_year": "2016"},
        ),
        (
            "/projects/pv/years/new/",
            {"station": str(station.pk), "year": "2019", "generation_kwh": "1", "revenue": "1"},
        ),
        (
            "/projects/pv/plans/new/",
            {
                "village": "141102001001",
                "year": "2018",
                "use_1": "small_public_works",
                "amount_1": "1",
                "payee_1": "村委",
            },
        ),
    ]
    for url, form in posts:
        assert client.post(url, form).status_code == status, url
    assert (PvStation.objects.count(), PvYear.objects.count(), PvDistribution.objects.count()) == (1, 1, 0)
