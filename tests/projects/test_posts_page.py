"""/projects/posts/ as staff use it: who sees which posts, who may create and pay, the wage landing in the
ledger and on the 一码清 household page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

pytestmark = pytest.mark.django_db
URL = "/projects/posts/"


@pytest.fixture
def post(world: dict[str, Any], actors: dict[str, Any]) -> Any:
    from jingzhun.projects.post_actions import create_post

    return create_post(
        actors["victor"],
        village_code="141102001001",
        kind="forest_ranger",
        title="护林员（一片区）",
        holder_id_number=world["own"].persons.get(labour="full").id_number,
        start_month=dt.date(2020, 1, 1),
    )


@pytest.mark.parametrize(
    ("persona", "status", "sees", "pay_form"),
    [
        ("alice", 200, True, True),
        ("tom", 200, True, True),
        ("victor", 200, True, False),
        ("audrey", 200, True, False),
        ("zoe", 200, False, False),
        ("carl", 403, False, False),
    ],
)
def test_who_sees_the_posts(login: Any, post: Any, persona: str, status: int, sees: bool, pay_form: bool) -> None:
    response = login(persona).get(URL, {"month": "2020-06"})
    assert response.status_code == status
    html = response.content.decode()
    assert ("护林员（一片区）" in html) is sees
    assert ("核发工资" in html) is pay_form


def test_the_township_pays_a_month_and_it_reaches_the_ledger_and_the_door_page(
    login: Any, post: Any, world: dict[str, Any]
) -> None:
    from jingzhun.core.actions import Actor
    from jingzhun.ledger.models import PaymentLine
    from jingzhun.public.actions import issue_token

    tom = login("tom")
    response = tom.post(
        f"/projects/posts/{post.pk}/pay/", {"month": "2020-06", "days_worked": "20", "days_required": "22"}, follow=True
    )
    html = response.content.decode()
    assert "已核发" in html and "727.27" in html
    assert PaymentLine.objects.get().program == "forest_ranger_wage"
    again = tom.post(
        f"/projects/posts/{post.pk}/pay/", {"month": "2020-06", "days_worked": "x", "days_required": "22"}, follow=True
    )
    assert "[days_worked]" in again.content.decode() and PaymentLine.objects.count() == 1

    token = issue_token(Actor.system("test"), world["own"])
    page = login("tom").get(f"/q/{token.token}/").content.decode()
    assert "生态护林员工资" in page and "727.27" in page


def test_the_village_creates_a_post_on_the_page_but_may_not_pay(login: Any, world: dict[str, Any]) -> None:
    from jingzhun.ledger.models import PaymentLine
    from jingzhun.projects.models import WelfarePost

    victor = login("victor")
    form = {
        "month": "2020-06",
        "village": "141102001001",
        "kind": "welfare",
        "title": "村道保洁员",
        "holder": world["own"].persons.get(labour="full").id_number,
        "month_wage": "500",
        "funding": "pv_revenue",
        "start_month": "2020-06",
    }
    html = victor.post("/projects/posts/new/", form, follow=True).content.decode()
    assert "已登记公益岗位「村道保洁员」" in html
    post = WelfarePost.objects.get()
    assert post.month_wage_fen == 50_000 and post.funding == "pv_revenue"
    bad = victor.post("/projects/posts/new/", {**form, "month_wage": "5.555"}, follow=True).content.decode()
    assert "[month_wage]" in bad and WelfarePost.objects.count() == 1
    refused = victor.post(
        f"/projects/posts/{post.pk}/pay/", {"month": "2020-06", "days_worked": "22", "days_required": "22"}, follow=True
    )
    assert "乡镇或县级" in refused.content.decode() and not PaymentLine.objects.exists()
    other = login("zoe").post(
        f"/projects/posts/{post.pk}/pay/", {"month": "2020-06", "days_worked": "22", "days_required": "22"}
    )
    assert other.status_code == 404
