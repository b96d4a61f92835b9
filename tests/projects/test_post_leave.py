"""离岗: a post ended on a date for a reason (audited); wages stop the month after; the post re-assigned to
another eligible member — the action (role × region) and the button on /projects/posts/."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingzhun.core.actions import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(world: dict[str, Any], actors: dict[str, Actor], settings: Any) -> Any:
    from jingzhun.projects.post_actions import create_post

    settings.WORKING_MONTH = "2020-08"
    return create_post(
        actors["victor"],
        village_code="141102001001",
        kind="welfare",
        title="村道保洁员",
        holder_id_number=world["own"].persons.get(labour="full").id_number,
        start_month=dt.date(2020, 1, 1),
        month_wage_fen=50_000,
    )


def other_member(world: dict[str, Any]) -> Any:
    """An eligible member of another registered household of the same village (孙有福's spouse)."""
    from jingzhun.registry.idnumber import make_id_number
    from jingzhun.registry.models import Person

    household = world["own_other"]
    return Person.objects.create(
        household=household,
        id_number=make_id_number("141102", dt.date(1985, 6, 15), 901, "F"),
        name="孙秀兰",
        relation="spouse",
        sex="F",
        birth_date=dt.date(1985, 6, 15),
        self_care="full",
        labour="full",
        student="none",
    )


def test_leaving_stops_wages_the_month_after_and_is_audited(post: Any, actors: dict[str, Actor]) -> None:
    from jingzhun.core.models import AuditEvent
    from jingzhun.projects.post_actions import leave_post, pay_post_month

    tom = actors["tom"]
    ended = leave_post(actors["victor"], post, day=dt.date(2020, 6, 18), reason="外出务工")
    assert (ended.end_month, ended.end_date, ended.end_reason) == (
        dt.date(2020, 6, 1),
        dt.date(2020, 6, 18),
        "外出务工",
    )
    event = AuditEvent.objects.get(action="projects.leave_post")
    assert event.after == {"end_month": "2020-06", "end_date": "2020-06-18", "end_reason": "外出务工"}
    june = pay_post_month(tom, post, month=dt.date(2020, 6, 1), days_worked=13, days_required=22)
    assert june.wage_fen == 29_545  # 500 元 × 13 / 22, half-up
    with pytest.raises(ValidationError, match="晚于离岗月份 2020-06"):
        pay_post_month(tom, post, month=dt.date(2020, 7, 1), days_worked=22, days_required=22)


def test_a_post_ends_once_and_not_before_a_month_already_paid(post: Any, actors: dict[str, Actor]) -> None:
    from jingzhun.projects.post_actions import leave_post, pay_post_month

    pay_post_month(actors["tom"], post, month=dt.date(2020, 7, 1), days_worked=22, days_required=22)
    with pytest.raises(ValidationError) as refused:
        leave_post(actors["victor"], post, day=dt.date(2020, 6, 30), reason="")
    text = " ".join(refused.value.messages)
    assert "2020-07 的工资已发放" in text and "[reason]" in text
    post.refresh_from_db()
    assert post.end_month is None
    leave_post(actors["victor"], post, day=dt.date(2020, 7, 31), reason="身体原因")
    with pytest.raises(ValidationError, match="已于 2020-07-31 离岗"):
        leave_post(actors["victor"], post, day=dt.date(2020, 8, 1), reason="再次")
    with pytest.raises(ValidationError, match=r"晚于今天.*\[day\]"):
        leave_post(actors["alice"], post, day=dt.date(2020, 9, 1), reason="x")


@pytest.mark.parametrize(
    ("persona", "outcome"),
    [("victor", None), ("tom", None), ("alice", None), ("audrey", PermissionDenied), ("zoe", PermissionDenied)],
)
def test_who_may_end_a_post(post: Any, actors: dict[str, Actor], persona: str, outcome: Any) -> None:
    from jingzhun.projects.models import WelfarePost
    from jingzhun.projects.post_actions import leave_post

    if outcome is None:
        leave_post(actors[persona], post, day=dt.date(2020, 6, 1), reason="外出务工")
        assert WelfarePost.objects.get(pk=post.pk).end_month == dt.date(2020, 6, 1)
    else:
        with pytest.raises(outcome):
            leave_post(actors[persona], post, day=dt.date(2020, 6, 1), reason="外出务工")
        assert WelfarePost.objects.get(pk=post.pk).end_month is None


def test_the_post_is_reassigned_to_another_eligible_member(
    post: Any, world: dict[str, Any], actors: dict[str, Actor]
) -> None:
    from jingzhun.projects.models import WelfarePost
    from jingzhun.projects.post_actions import leave_post, pay_post_month, reassign_post

    newcomer = other_member(world)
    with pytest.raises(ValidationError, match="仍在岗"):
        reassign_post(actors["victor"], post, holder_id_number=newcomer.id_number, start_month=dt.date(2020, 7, 1))
    leave_post(actors["victor"], post, day=dt.date(2020, 6, 18), reason="外出务工")
    with pytest.raises(ValidationError, match=r"应晚于.*2020-06"):
        reassign_post(actors["victor"], post, holder_id_number=newcomer.id_number, start_month=dt.date(2020, 6, 1))
    ineligible = world["own"].persons.get(labour="none")
    with pytest.raises(ValidationError, match="无劳动能力"):
        reassign_post(actors["victor"], post, holder_id_number=ineligible.id_number, start_month=dt.date(2020, 7, 1))
    new = reassign_post(actors["victor"], post, holder_id_number=newcomer.id_number, start_month=dt.date(2020, 7, 1))
    assert (new.title, new.month_wage_fen, new.holder_id, new.pk != post.pk) == (
        "村道保洁员",
        50_000,
        newcomer.pk,
        True,
    )
    assert pay_post_month(actors["tom"], new, month=dt.date(2020, 7, 1), days_worked=22, days_required=22).wage_fen
    assert WelfarePost.objects.filter(end_month__isnull=True).count() == 1


def test_the_leave_button_on_the_posts_page(post: Any, login: Any, world: dict[str, Any]) -> None:
    from jingzhun.core.models import AuditEvent
    from jingzhun.projects.models import WelfarePost

    victor = login("victor")
    page = victor.get("/projects/posts/", {"month": "2020-06"}).content.decode()
    assert f"/projects/posts/{post.pk}/leave/" in page and ">离岗</button>" in page
    bad = victor.post(f"/projects/posts/{post.pk}/leave/", {"month": "2020-06", "day": "6月18日", "reason": "外出"})
    assert "[day]" in victor.get("/projects/posts/").content.decode()
    assert bad.status_code == 302 and WelfarePost.objects.get(pk=post.pk).end_month is None
    done = victor.post(
        f"/projects/posts/{post.pk}/leave/",
        {"month": "2020-06", "day": "2020-06-18", "reason": "外出务工"},
        follow=True,
    )
    html = done.content.decode()
    assert "已登记" in html and "2020-06-18 离岗：外出务工" in html and ">另聘</button>" in html
    assert AuditEvent.objects.filter(action="projects.leave_post").count() == 1
    newcomer = other_member(world)
    again = victor.post(
        f"/projects/posts/{post.pk}/reassign/",
        {"month": "2020-07", "holder": newcomer.id_number, "start_month": "2020-07"},
        follow=True,
    )
    assert "已另聘 孙秀兰" in again.content.decode()


@pytest.mark.parametrize(("persona", "status"), [("audrey", 403), ("carl", 403), ("zoe", 404)])
def test_others_may_not_press_the_button(post: Any, login: Any, persona: str, status: int) -> None:
    from jingzhun.projects.models import WelfarePost

    response = login(persona).post(f"/projects/posts/{post.pk}/leave/", {"day": "2020-06-18", "reason": "外出务工"})
    assert response.status_code == status
    assert WelfarePost.objects.get(pk=post.pk).end_month is None
