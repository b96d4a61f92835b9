"""迁入 of a person who moved out of another household (same person row; from another region, a request that
region confirms), and 户主变更 (a request, applied on approval)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.registry import actions
from jingzhun.registry.documents import household_frames
from jingzhun.registry.models import ChangeRequest, Person, PersonEvent, PersonEventKind, PersonStatus
from tests.registry.test_change_views_add_person import new_person
from tests.staff import approve

pytestmark = pytest.mark.django_db


def moved_out(world: Any, personas: Any, where: str = "sibling_village", on: dt.date = dt.date(2020, 4, 10)) -> Person:
    person = world[where].persons.get(relation="head")
    actions.record_move_out(Actor.for_user(personas["root"]), person, date=on, note="婚嫁迁出")
    return Person.objects.get(pk=person.pk)


def test_a_person_who_moved_out_of_another_village_moves_in_once_that_township_confirms(
    login: Any, world: Any, personas: Any
) -> None:
    person = moved_out(world, personas)
    source = person.household
    audits = AuditEvent.objects.count()
    data = new_person(id_number=person.id_number, name=person.name, relation="spouse", date="2020-05-20", note="婚入")
    response = login("victor").post(f"/households/{world['own'].pk}/persons/new/", data, follow=True)
    assert "已提交迁入申请，待该人员原登记地的乡镇或县级经办人员确认后生效" in response.content.decode()
    person.refresh_from_db()
    assert person.household == source and person.status == PersonStatus.MOVED_OUT  # not pulled in by name and ID
    change = ChangeRequest.objects.get(kind="move_in")
    assert change.decide_region == source.village.code and person.id_number not in change.summary
    assert approve(login, "tom", world["own"]).status_code == 302  # 信义镇: the township the person left
    person.refresh_from_db()
    assert person.household == world["own"] and person.status == PersonStatus.ACTIVE and person.relation == "spouse"
    assert Person.objects.filter(id_number=person.id_number).count() == 1
    event = PersonEvent.objects.get(person=person, kind=PersonEventKind.MOVE_IN)
    assert (event.from_household, event.to_household, event.date) == (source, world["own"], dt.date(2020, 5, 20))
    actions_written = AuditEvent.objects.order_by("id").values_list("action", flat=True)[audits:]
    assert list(actions_written) == ["registry.propose_change", "registry.move_in_person", "registry.approve_change"]
    # Month-dated membership: April in the old household (moved out on the 10th), May in neither, June here.
    for month, household in (("2020-04", source), ("2020-05", None), ("2020-06", world["own"])):
        _, persons = household_frames(month)
        rows = persons.filter(persons["id"] == str(person.pk))
        assert rows["household_id"].to_list() == ([household.household_no] if household else []), month


def test_a_person_who_moved_out_in_the_same_village_moves_in_directly(login: Any, world: Any, personas: Any) -> None:
    person = moved_out(world, personas, where="own_other")
    data = new_person(id_number=person.id_number, name=person.name, relation="spouse", date="2020-05-20")
    response = login("victor").post(f"/households/{world['own'].pk}/persons/new/", data, follow=True)
    assert "原迁出人员迁入" in response.content.decode()
    person.refresh_from_db()
    assert person.household == world["own"] and person.status == PersonStatus.ACTIVE
    assert AuditEvent.objects.latest("id").action == "registry.move_in_person"


def test_the_name_must_match_the_record_of_the_id_number(login: Any, world: Any, personas: Any) -> None:
    person = moved_out(world, personas)
    data = new_person(id_number=person.id_number, name="张冒名", relation="spouse", date="2020-05-20")
    page = login("victor").post(f"/households/{world['own'].pk}/persons/new/", data).content.decode()
    assert "该身份证号无法登记，请联系县级核实" in page  # as for any number on file outside the village
    assert person.name not in page  # the form never tells which name goes with the number
    person.refresh_from_db()
    assert person.status == PersonStatus.MOVED_OUT and person.household == world["sibling_village"]
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize("where", ["own_other", "sibling_village"])
def test_moving_in_before_the_move_out_date_is_refused(login: Any, world: Any, personas: Any, where: str) -> None:
    person = moved_out(world, personas, where=where)
    data = new_person(id_number=person.id_number, name=person.name, relation="spouse", date="2020-04-01")
    page = login("victor").post(f"/households/{world['own'].pk}/persons/new/", data).content.decode()
    assert "迁入日期不能早于该人员的迁出日期（2020-04-10）" in page
    person.refresh_from_db()
    assert person.status == PersonStatus.MOVED_OUT and not ChangeRequest.objects.exists()


def test_a_deceased_person_cannot_move_in(world: Any, personas: Any) -> None:
    system = Actor.system("test")
    person = world["sibling_village"].persons.get(relation="head")
    actions.record_death(system, person, date=dt.date(2020, 4, 1))
    with pytest.raises(ValidationError, match="死亡"):
        actions.move_in_person(system, person, world["own"], relation="other", date=dt.date(2020, 5, 1))


def test_the_head_changes_to_another_member_on_approval(login: Any, world: Any, personas: Any) -> None:
    household = world["own"]
    old_head = household.persons.get(relation="head")
    other = actions.add_person(
        Actor.for_user(personas["root"]),
        household,
        date=dt.date(2020, 1, 1),
        **{
            k: v
            for k, v in new_person().items()
            if k in {"id_number", "name", "relation", "self_care", "labour", "student"}
        },
    )
    response = login("victor").post(f"/households/{household.pk}/head/", {"new_head": other.pk, "note": "户主外出务工"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.relation != "head"
    assert approve(login, "tom", household).status_code == 302
    old_head.refresh_from_db()
    other.refresh_from_db()
    assert (old_head.relation, other.relation) == ("other", "head")
    head_audit = AuditEvent.objects.get(action="registry.change_head")
    assert (head_audit.actor_label, head_audit.reason) == ("tom", "户主外出务工")


def test_the_head_form_is_scoped_and_read_only_for_auditors(login: Any, world: Any) -> None:
    head = world["sibling_township"].persons.get(relation="head")
    assert (
        login("victor").post(f"/households/{world['sibling_township'].pk}/head/", {"new_head": head.pk}).status_code
        == 404
    )
    audits = AuditEvent.objects.count()
    assert login("audrey").post(f"/households/{world['own'].pk}/head/", {"new_head": 1}).status_code == 403
    assert AuditEvent.objects.count() == audits


def test_a_person_from_another_county_moves_in_once_that_county_confirms(login: Any, world: Any, personas: Any) -> None:
    person = moved_out(world, personas, where="other_county")
    data = new_person(id_number=person.id_number, name=person.name, relation="spouse", date="2020-05-20")
    page = login("victor").post(f"/households/{world['own'].pk}/persons/new/", data, follow=True).content.decode()
    assert "已提交迁入申请" in page and "交口县" not in page and "水头" not in page
    # The receiving township and county read the request (their household) but do not decide it.
    assert approve(login, "tom", world["own"]).status_code == 403
    assert approve(login, "alice", world["own"]).status_code == 403
    person.refresh_from_db()
    assert person.status == PersonStatus.MOVED_OUT
    page = login("zoe").get("/households/changes/").content.decode()
    assert world["own"].household_no in page and f'href="/households/{world["own"].pk}/"' not in page
    assert approve(login, "zoe", world["own"]).status_code == 302  # 交口县, where the person left from
    person.refresh_from_db()
    assert person.household == world["own"] and person.status == PersonStatus.ACTIVE
