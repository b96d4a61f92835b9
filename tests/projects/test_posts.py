"""公益岗位 and 生态护林员: posts held by registered-poor members with labour, monthly attendance and wages paid
through the ledger as their own programs — role × region, bad input refused with nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingzhun.core.actions import Actor

pytestmark = pytest.mark.django_db

JUNE = dt.date(2020, 6, 1)


def member(household: Any) -> Any:
    """The household's member with labour capacity (make_household: the head has none, the others full)."""
    return household.persons.get(labour="full")


@pytest.fixture
def ranger(world: dict[str, Any], actors: dict[str, Actor]) -> Any:
    from jingzhun.projects.post_actions import create_post

    return create_post(
        actors["victor"],
        village_code="141102001001",
        kind="forest_ranger",
        title="护林员（一片区）",
        holder_id_number=member(world["own"]).id_number,
        start_month=dt.date(2020, 1, 1),
    )


def test_a_ranger_is_paid_the_county_wage_pro_rata_into_the_ledger(ranger: Any, actors: dict[str, Actor]) -> None:
    from jingzhun.core.models import AuditEvent
    from jingzhun.ledger.models import PaymentLine
    from jingzhun.projects.post_actions import pay_post_month

    record = pay_post_month(actors["tom"], ranger, month=JUNE, days_worked=20, days_required=22)
    assert record.wage_fen == 72_727  # 800 元 × 20 / 22 = 727.2727… → 727.27
    line = PaymentLine.objects.get()
    assert (line.program, line.month, line.amount_fen) == ("forest_ranger_wage", JUNE, 72_727)
    assert line.household_id == ranger.holder.household_id and line.person_id == ranger.holder.pk
    assert AuditEvent.objects.filter(action="projects.pay_post_month", region_code="141102001001").count() == 1
    full = pay_post_month(actors["alice"], ranger, month=dt.date(2020, 5, 1), days_worked=22, days_required=22)
    assert full.wage_fen == 80_000


def test_xing_county_pays_a_year_of_6000_by_twelfths(
    regions: dict[str, Any], personas: dict[str, Any], staff_settings: None
) -> None:
    from jingzhun.projects.post_actions import create_post, pay_post_month
    from jingzhun.registry.models import Region
    from tests.staff import make_household

    county = Region.objects.get(code="141123")  # 兴县 (seeded with the county list)
    town = Region.objects.create(code="141123001000", name="蔚汾镇", level="township", parent=county)
    village = Region.objects.create(code="141123001001", name="蔚汾村", level="village", parent=town)
    household = make_household(village, "1411230010010001", "高明", others=("高亮",))
    root = Actor.for_user(personas["root"])
    post = create_post(
        root,
        village_code=village.code,
        kind="forest_ranger",
        title="护林员",
        holder_id_number=member(household).id_number,
        start_month=dt.date(2020, 1, 1),
    )
    assert pay_post_month(root, post, month=JUNE, days_worked=22, days_required=22).wage_fen == 50_000


def test_a_welfare_post_pays_its_own_wage(world: dict[str, Any], actors: dict[str, Actor]) -> None:
    from jingzhun.ledger.models import PaymentLine
    from jingzhun.projects.post_actions import create_post, pay_post_month
    from tests.staff import make_household

    household = make_household(world["sibling_village"].village, "1411020010020002", "张大山", others=("张小山",))

    post = create_post(
        actors["tom"],
        village_code="141102001002",
        kind="welfare",
        title="村道保洁员",
        holder_id_number=member(household).id_number,
        start_month=JUNE,
        month_wage_fen=50_000,
        funding="pv_revenue",
    )
    pay_post_month(actors["tom"], post, month=JUNE, days_worked=15, days_required=30)
    assert PaymentLine.objects.get().program == "welfare_post_wage"
    assert PaymentLine.objects.get().amount_fen == 25_000


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("alice", True), ("tom", True), ("victor", False), ("carl", False), ("audrey", False), ("zoe", False)],
)
def test_who_may_pay_a_month(ranger: Any, actors: dict[str, Actor], persona: str, allowed: bool) -> None:
    from jingzhun.ledger.models import PaymentLine
    from jingzhun.projects.models import PostMonth
    from jingzhun.projects.post_actions import pay_post_month

    if allowed:
        pay_post_month(actors[persona], ranger, month=JUNE, days_worked=22, days_required=22)
        assert PaymentLine.objects.count() == PostMonth.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            pay_post_month(actors[persona], ranger, month=JUNE, days_worked=22, days_required=22)
        assert PaymentLine.objects.count() == PostMonth.objects.count() == 0


@pytest.mark.parametrize(("persona", "allowed"), [("victor", True), ("carl", False), ("audrey", False), ("zoe", False)])
def test_who_may_create_a_post(world: dict[str, Any], actors: dict[str, Actor], persona: str, allowed: bool) -> None:
    from jingzhun.projects.models import WelfarePost
    from jingzhun.projects.post_actions import create_post

    def create() -> Any:
        return create_post(
            actors[persona],
            village_code="141102001001",
            kind="forest_ranger",
            title="护林员",
            holder_id_number=member(world["own"]).id_number,
            start_month=JUNE,
        )

    if allowed:
        create()
        assert WelfarePost.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            create()
        assert not WelfarePost.objects.exists()


def test_bad_months_and_holders_are_refused_with_nothing_written(
    ranger: Any, world: dict[str, Any], actors: dict[str, Actor]
) -> None:
    from jingzhun.core.models import AuditEvent
    from jingzhun.ledger.models import PaymentLine
    from jingzhun.projects.post_actions import create_post, pay_post_month

    audits = AuditEvent.objects.count()
    pay_post_month(actors["tom"], ranger, month=JUNE, days_worked=22, days_required=22)
    for month, worked, required, text in (
        (JUNE, 22, 22, "已发放"),
        (dt.date(2019, 12, 1), 22, 22, "早于上岗月份"),
        (dt.date(2020, 7, 1), 23, 22, "[days_worked]"),
        (dt.date(2099, 1, 1), 1, 22, "晚于工作月份"),
    ):
        with pytest.raises(ValidationError) as refused:
            pay_post_month(actors["tom"], ranger, month=month, days_worked=worked, days_required=required)
        assert text in str(refused.value)
    assert PaymentLine.objects.count() == 1 and AuditEvent.objects.count() == audits + 1
    for holder, text in (
        (world["own"].persons.get(labour="none"), "无劳动能力"),  # the head
        (member(world["own"]), "一人一岗"),
        (world["sibling_village"].persons.get(), "不是 信义村 的户籍人员"),
    ):
        with pytest.raises(ValidationError) as refused:
            create_post(
                actors["tom"],
                village_code="141102001001",
                kind="forest_ranger",
                title="护林员",
                holder_id_number=holder.id_number,
                start_month=JUNE,
            )
        assert text in str(refused.value)
    with pytest.raises(ValidationError, match=r"\[month_wage\]"):
        create_post(
            actors["tom"],
            village_code="141102001001",
            kind="welfare",
            title="保洁员",
            holder_id_number=world["own"].persons.get(labour="none").id_number,
            start_month=JUNE,
        )
