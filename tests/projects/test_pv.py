"""光伏收益: stations, yearly revenue, and distribution plans held to POLICY.md §9 — the village's own revenue,
only listed uses, wages to the village's PV-funded posts, never more than is left; role × region."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingzhun.core.actions import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def station(world: dict[str, Any], actors: dict[str, Actor]) -> Any:
    from jingzhun.projects import pv_actions as pv

    s = pv.create_station(
        actors["tom"], village_code="141102001001", name="信义村光伏电站", capacity_kw=Decimal("300"), built_year=2016
    )
    # 离石's 2016 stations: 66.2 万度, 21.7 万元 to September 2018 (issue #17's seed figures)
    pv.record_year(actors["tom"], s, year=2018, generation_kwh=662_000, revenue_fen=21_700_000)
    return s


@pytest.fixture
def pv_post(world: dict[str, Any], actors: dict[str, Actor]) -> Any:
    from jingzhun.projects.post_actions import create_post

    return create_post(
        actors["victor"],
        village_code="141102001001",
        kind="welfare",
        title="光伏电站看护员",
        holder_id_number=world["own"].persons.get(labour="full").id_number,
        start_month=dt.date(2018, 1, 1),
        month_wage_fen=60_000,
        funding="pv_revenue",
    )


def test_a_plan_within_the_revenue_is_recorded_and_wages_paid_show_beside_it(
    station: Any, pv_post: Any, actors: dict[str, Actor]
) -> None:
    from jingzhun.core.models import AuditEvent
    from jingzhun.projects import pv_actions as pv
    from jingzhun.projects.post_actions import pay_post_month

    lines = [
        {"use": "public_welfare_wages", "amount_fen": 7_200_000, "post": pv_post.pk},
        {"use": "small_public_works", "amount_fen": 10_000_000, "payee": "信义村委会", "note": "村内道路维修"},
        {"use": "rewards", "amount_fen": 4_500_000, "condition": "孝亲敬老、文明户评选"},
    ]
    made = pv.distribute(actors["tom"], village_code="141102001001", year=2018, lines=lines)
    assert made[0].payee == pv_post.holder.name
    assert AuditEvent.objects.filter(action="projects.distribute_pv_revenue").count() == 1
    pay_post_month(actors["tom"], pv_post, month=dt.date(2018, 9, 1), days_worked=22, days_required=22)
    summary = pv.village_summary(station.village)
    assert (summary.revenue_fen, summary.planned_fen, summary.undistributed_fen) == (21_700_000, 21_700_000, 0)
    assert summary.wages_paid_fen == 60_000 and summary.generation_kwh == 662_000
    with pytest.raises(ValidationError, match="超过可分配收益"):  # nothing left
        pv.distribute(actors["tom"], village_code="141102001001", year=2018, lines=[lines[1]])


def test_cash_to_households_other_villages_and_unfunded_posts_are_refused(
    station: Any, world: dict[str, Any], actors: dict[str, Actor]
) -> None:
    from jingzhun.projects import pv_actions as pv
    from jingzhun.projects.models import PvDistribution
    from jingzhun.projects.post_actions import create_post

    special = create_post(
        actors["victor"],
        village_code="141102001001",
        kind="forest_ranger",
        title="护林员",
        holder_id_number=world["own"].persons.get(labour="full").id_number,
        start_month=dt.date(2018, 1, 1),
    )
    bad = [
        {"use": "dividend", "amount_fen": 100},
        {"use": "rewards", "amount_fen": 100},
        {"use": "public_welfare_wages", "amount_fen": 100, "post": special.pk},
        {"use": "small_public_works", "amount_fen": 0},
    ]
    with pytest.raises(ValidationError) as refused:
        pv.distribute(actors["tom"], village_code="141102001001", year=2018, lines=bad)
    text = str(refused.value)
    for expected in ("第1行 [use]", "第2行 [condition]", "第3行 [post]", "第4行 [amount_fen]"):
        assert expected in text
    with pytest.raises(ValidationError, match="超过可分配收益"):  # 吴城村 has no station: no revenue
        pv.distribute(
            actors["alice"],
            village_code="141102002001",
            year=2018,
            lines=[{"use": "rewards", "amount_fen": 1, "condition": "文明户"}],
        )
    assert not PvDistribution.objects.exists()


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("alice", True), ("tom", True), ("victor", False), ("carl", False), ("audrey", False), ("zoe", False)],
)
def test_who_may_record_revenue_and_plans(station: Any, actors: dict[str, Actor], persona: str, allowed: bool) -> None:
    from jingzhun.projects import pv_actions as pv
    from jingzhun.projects.models import PvDistribution, PvYear

    def act() -> None:
        pv.record_year(actors[persona], station, year=2019, generation_kwh=400_000, revenue_fen=13_000_000)
        pv.distribute(
            actors[persona],
            village_code="141102001001",
            year=2019,
            lines=[{"use": "small_public_works", "amount_fen": 100_000, "payee": "村委会"}],
        )

    if allowed:
        act()
        assert PvYear.objects.count() == 2 and PvDistribution.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            act()
        assert PvYear.objects.count() == 1 and not PvDistribution.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status", "sees"),
    [
        ("alice", 200, True),
        ("tom", 200, True),
        ("victor", 200, True),
        ("audrey", 200, True),
        ("zoe", 200, False),
        ("carl", 403, False),
    ],
)
def test_the_pv_page_by_role(
    login: Any, station: Any, actors: dict[str, Actor], persona: str, status: int, sees: bool
) -> None:
    from jingzhun.projects import pv_actions as pv

    pv.distribute(
        actors["tom"],
        village_code="141102001001",
        year=2018,
        lines=[{"use": "rewards", "amount_fen": 1_000_000, "condition": "孝亲敬老评选"}],
    )
    response = login(persona).get("/projects/pv/")
    assert response.status_code == status
    html = response.content.decode()
    assert ("信义村光伏电站" in html) is sees
    if sees:
        assert "217,000.00" in html and "207,000.00" in html and "孝亲敬老评选" in html and "662000" in html
