"""爱心超市: points earned per listed activity at the parameters' value, spent on goods never below zero
(whatever the order of entry), the monthly statement as printed, and who may record — role × region."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingzhun.core.actions import Actor

pytestmark = pytest.mark.django_db


def test_earn_spend_and_the_months_statement(world: dict[str, Any], actors: dict[str, Actor]) -> None:
    from jingzhun.core.models import AuditEvent
    from jingzhun.projects import points_actions as pts

    home, victor = world["own"], actors["victor"]
    pts.earn(victor, home, day=dt.date(2020, 5, 20), activity="model_household")  # 50
    pts.earn(victor, home, day=dt.date(2020, 6, 3), activity="policy_talk")  # 5
    pts.earn(victor, home, day=dt.date(2020, 6, 9), activity="sanitation", count=2)  # 10
    pts.redeem(victor, home, day=dt.date(2020, 6, 12), points=30, goods="食用油一桶")
    s = pts.statement(home, "2020-06")
    assert (s.opening, s.earned, s.spent, s.closing) == (50, 15, 30, 35)
    assert [(change, after) for _, change, after in s.lines] == [(5, 55), (10, 65), (-30, 35)]
    assert pts.balance(home) == 35
    assert AuditEvent.objects.filter(action__in=["projects.earn_points", "projects.redeem_points"]).count() == 4

    with pytest.raises(ValidationError, match="积分不足"):
        pts.redeem(victor, home, day=dt.date(2020, 6, 13), points=36, goods="大米")
    # a purchase back-dated before the points were earned would have overdrawn then: refused too
    with pytest.raises(ValidationError, match="积分不足"):
        pts.redeem(victor, home, day=dt.date(2020, 5, 1), points=10, goods="洗衣粉")
    with pytest.raises(ValidationError, match=r"\[activity\]"):
        pts.earn(victor, home, day=dt.date(2020, 6, 1), activity="cash")
    assert pts.balance(home) == 35


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("victor", True), ("tom", True), ("alice", True), ("carl", False), ("audrey", False), ("zoe", False)],
)
def test_who_may_record_points(world: dict[str, Any], actors: dict[str, Actor], persona: str, allowed: bool) -> None:
    from jingzhun.projects import points_actions as pts

    if allowed:
        pts.earn(actors[persona], world["own"], day=dt.date(2020, 6, 1), activity="policy_talk")
        assert pts.balance(world["own"]) == 5
    else:
        with pytest.raises(PermissionDenied):
            pts.earn(actors[persona], world["own"], day=dt.date(2020, 6, 1), activity="policy_talk")
        assert pts.balance(world["own"]) == 0


def test_the_statement_page_as_the_village_uses_it(login: Any, world: dict[str, Any]) -> None:
    home = world["own"]
    url = f"/projects/points/{home.pk}/"
    victor = login("victor")
    victor.post(f"{url}add/", {"kind": "earn", "activity": "model_household", "day": "2020-06-02"})
    page = victor.post(
        f"{url}add/", {"kind": "redeem", "goods": "食用油一桶", "points": "20", "day": "2020-06-05"}, follow=True
    ).content.decode()
    assert "已登记兑换 20 分" in page and "兑换：食用油一桶" in page and "<strong>30</strong> 分" in page
    over = victor.post(
        f"{url}add/", {"kind": "redeem", "goods": "大米", "points": "31", "day": "2020-06-06"}, follow=True
    ).content.decode()
    assert "积分不足" in over
    assert login("zoe").get(url).status_code == 404  # another county's household
    carl = login("carl").get(url, {"month": "2020-06"}).content.decode()  # his own household: reads, no forms
    assert "兑换：食用油一桶" in carl and "登记兑换" not in carl
    assert login("audrey").get(url, {"month": "2020-06"}).status_code == 200
