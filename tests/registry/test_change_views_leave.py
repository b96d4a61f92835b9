"""死亡登记 (a 信息变更申请, applied by registry.actions.record_death on approval) and 迁出登记
(registry.actions.record_move_out, directly) of a member."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.core.models import AuditEvent
from jingzhun.registry.models import PersonEvent
from tests.staff import approve

pytestmark = pytest.mark.django_db


def url(household: Any, person: Any, kind: str) -> str:
    return f"/households/{household.pk}/persons/{person.pk}/{kind}/"


def test_a_move_out_is_recorded_and_shown_in_the_member_table(login: Any, world: Any) -> None:
    household = world["own"]
    spouse = household.persons.get(relation="spouse")
    client = login("victor")
    response = client.post(url(household, spouse, "move-out"), {"date": "2020-04-10", "note": "迁往离石城区"})
    assert response.status_code == 302
    spouse.refresh_from_db()
    assert spouse.status == "moved_out" and spouse.status_date == dt.date(2020, 4, 10)
    event = PersonEvent.objects.get(person=spouse)
    assert (event.kind, event.from_household) == ("move_out", household)
    audit = AuditEvent.objects.get()
    assert audit.action == "registry.record_move_out" and audit.reason == "迁往离石城区"
    page = client.get(f"/households/{household.pk}/").content.decode()
    assert "2020-04-10 迁出：迁往离石城区" in page
    household.refresh_from_db()
    assert household.active  # the head is still there


def test_a_death_is_recorded(login: Any, world: Any) -> None:
    household = world["own"]
    spouse = household.persons.get(relation="spouse")
    response = login("victor").post(url(household, spouse, "death"), {"date": "2020-01-02", "note": "死亡证明"})
    assert response.status_code == 302
    spouse.refresh_from_db()
    assert spouse.status == "active"  # proposed: a second person approves
    assert approve(login, "tom", household).status_code == 302
    spouse.refresh_from_db()
    assert spouse.status == "deceased"
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "registry.propose_change",
        "registry.record_death",
        "registry.approve_change",
    ]


def test_when_the_last_member_leaves_the_household_is_closed(login: Any, world: Any) -> None:
    household = world["own_other"]  # one member
    head = household.persons.get()
    client = login("victor")
    assert "这是该户最后一名在册成员" in client.get(url(household, head, "death")).content.decode()
    client.post(url(household, head, "death"), {"date": "2020-02-03", "note": ""})
    approve(login, "tom", household)
    page = login("tom").get(f"/households/{household.pk}/").content.decode()
    assert "已销户" in page and "2020-02-03 起无在册成员（死亡）" in page
    household.refresh_from_db()
    assert not household.active and "2020-02-03 起无在册成员（死亡）" in household.closed_reason
    assert AuditEvent.objects.count() == 3


def test_a_member_who_already_left_cannot_leave_again(login: Any, world: Any) -> None:
    household = world["own"]
    spouse = household.persons.get(relation="spouse")
    client = login("victor")
    client.post(url(household, spouse, "move-out"), {"date": "2020-04-10"})
    page = client.post(url(household, spouse, "death"), {"date": "2020-05-01"}).content.decode()
    assert "所选人员不是本户在册成员" in page
    assert AuditEvent.objects.count() == 1 and PersonEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("", "这个字段是必填项"),
        ("1979-01-01", "日期不能早于出生日期（1981-06-15）"),
        ("2999-01-01", "日期不能晚于今天"),
    ],
)
def test_a_bad_date_is_refused_in_chinese_and_nothing_written(login: Any, world: Any, date: str, message: str) -> None:
    household = world["own"]
    spouse = household.persons.get(relation="spouse")
    response = login("victor").post(url(household, spouse, "move-out"), {"date": date})
    assert response.status_code == 200 and message in response.content.decode()
    spouse.refresh_from_db()
    assert spouse.status == "active" and not AuditEvent.objects.exists()


@pytest.mark.parametrize("where", ["sibling_village", "sibling_township", "other_county"])
def test_a_member_outside_the_village_is_not_found(login: Any, world: Any, where: str) -> None:
    household = world[where]
    head = household.persons.get()
    client = login("victor")
    assert client.get(url(household, head, "move-out")).status_code == 404
    assert client.post(url(household, head, "death"), {"date": "2020-01-01"}).status_code == 404
    head.refresh_from_db()
    assert head.status == "active" and not AuditEvent.objects.exists()


def test_a_member_of_another_household_is_not_found_through_this_one(login: Any, world: Any) -> None:
    stranger = world["own_other"].persons.get()
    response = login("victor").post(url(world["own"], stranger, "move-out"), {"date": "2020-01-01"})
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.status == "active"


def test_auditor_may_not_record_a_death(login: Any, world: Any) -> None:
    household = world["own"]
    spouse = household.persons.get(relation="spouse")
    client = login("audrey")
    assert url(household, spouse, "death") not in client.get(f"/households/{household.pk}/").content.decode()
    response = client.post(url(household, spouse, "death"), {"date": "2020-01-01"})
    assert response.status_code == 403
    spouse.refresh_from_db()
    assert spouse.status == "active" and not AuditEvent.objects.exists()


def test_the_member_table_offers_the_two_registrations_for_active_members_only(login: Any, world: Any) -> None:
    household = world["own"]
    spouse = household.persons.get(relation="spouse")
    client = login("victor")
    assert url(household, spouse, "move-out") in client.get(f"/households/{household.pk}/").content.decode()
    client.post(url(household, spouse, "move-out"), {"date": "2020-04-10"})
    page = client.get(f"/households/{household.pk}/").content.decode()
    assert url(household, spouse, "move-out") not in page and url(household, spouse, "death") not in page
