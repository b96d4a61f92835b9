"""Registry actions: one transaction and one audit row each, region-checked, nothing ever deleted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.registry import actions
from jingzhun.registry.models import Household, HouseholdStatusEvent, IncomeRecord, Person, PersonEvent

from .conftest import FAR_VILLAGE, OTHER_VILLAGE, VILLAGE, id_for

pytestmark = pytest.mark.django_db
DAY = dt.date(2020, 3, 1)
# The changes of money and status need an approved request from staff (test_change_requests); the mechanics
# of the action itself are tested as the system applies them.
SYSTEM = Actor.system("test")


def person(
    relation: str = "head", birth: dt.date = dt.date(1958, 3, 12), sex: str = "M", **extra: Any
) -> dict[str, Any]:
    base = {"id_number": id_for(birth, sex), "name": f"{relation}人", "relation": relation}
    return {**base, "self_care": "full", "labour": "full", "student": "none", **extra}


def household(
    actor: Actor, no: str = "H1", village: str = VILLAGE, members: list[dict[str, Any]] | None = None
) -> Household:
    members = members or [
        person(incomes=[{"year": 2019, "farming_fen": 320_000}]),
        person("spouse", dt.date(1961, 8, 20), "F"),
    ]
    fields = {"address": "一组", "area": "rural", "housing_grade": "B", "registered_year": 2016, "status": "not_exited"}
    return actions.create_household(actor, household_no=no, village_code=village, members=members, **fields)


def audits(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_creating_a_household_writes_members_incomes_history_and_one_audit_row(actors: dict[str, Any]) -> None:
    home = household(actors["victor"])
    assert [p.relation for p in home.persons.order_by("id")] == ["head", "spouse"]
    head = home.persons.get(relation="head")
    assert (head.birth_date, head.sex) == (dt.date(1958, 3, 12), "M")  # taken from the ID number
    assert IncomeRecord.objects.get(person=head).farming_fen == 320_000
    assert HouseholdStatusEvent.objects.get(household=home).status == "not_exited"
    [audit] = audits("registry.create_household")
    assert (audit.actor_label, audit.region_code, audit.object_id) == ("victor", VILLAGE, str(home.pk))


def test_a_cadre_cannot_create_a_household_in_another_village(actors: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied, match="无权"):
        household(actors["victor"], village=OTHER_VILLAGE)
    assert Household.objects.count() == 0 and not AuditEvent.objects.exists()


def test_a_county_officer_cannot_write_in_another_county(actors: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        household(actors["alice"], village=FAR_VILLAGE)


def test_an_auditor_cannot_write(actors: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied, match="只读"):
        household(actors["audrey"])
    home = household(actors["alice"])
    with pytest.raises(PermissionDenied, match="只读"):
        actions.update_household(actors["audrey"], home, address="二组")


def test_a_household_needs_exactly_one_head(actors: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="户主"):
        household(actors["alice"], members=[person("spouse", dt.date(1961, 8, 20), "F")])


def test_a_birth_date_that_disagrees_with_the_id_number_rolls_everything_back(actors: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="出生日期与身份证号不一致"):
        household(actors["alice"], members=[person(), person("child", birth_date=dt.date(2000, 1, 1))])
    assert Household.objects.count() == Person.objects.count() == 0


def test_updating_a_household_audits_before_and_after(actors: dict[str, Any]) -> None:
    home = household(actors["alice"])
    actions.update_household(actors["victor"], home, address="二组 3 号", disqualified=["vehicle"])
    home.refresh_from_db()
    assert home.disqualified == ["vehicle"]
    [audit] = audits("registry.update_household")
    assert audit.before == {"address": "一组", "disqualified": []}
    assert audit.after == {"address": "二组 3 号", "disqualified": ["vehicle"]}


def test_status_cannot_be_edited_only_changed_with_history(actors: dict[str, Any]) -> None:
    home = household(actors["alice"])
    with pytest.raises(ValueError, match="status"):
        actions.update_household(actors["alice"], home, status="exited_supported")
    actions.change_household_status(SYSTEM, home, "exited_supported", date=DAY, note="年度脱贫")
    home.refresh_from_db()
    assert (home.status, home.status_date) == ("exited_supported", DAY)
    assert list(home.status_events.values_list("status", flat=True)) == ["not_exited", "exited_supported"]
    assert audits("registry.change_household_status")[0].reason == "年度脱贫"


def test_a_status_may_not_skip_steps(actors: dict[str, Any]) -> None:
    home = household(actors["alice"])
    actions.change_household_status(SYSTEM, home, "exited_supported", date=DAY)
    with pytest.raises(ValidationError, match="不能从「已脱贫（享受政策）」变为「未脱贫」"):
        actions.change_household_status(SYSTEM, home, "not_exited", date=DAY)
    actions.change_household_status(SYSTEM, home, "exited_closed", date=DAY, note="政策保持期满")
    with pytest.raises(ValidationError, match="不能从「已脱贫（不再享受政策）」变为「已脱贫（享受政策）」"):
        actions.change_household_status(SYSTEM, home, "exited_supported", date=DAY)


def test_adding_a_person_records_a_move_in(actors: dict[str, Any]) -> None:
    home = household(actors["alice"])
    baby = actions.add_person(
        actors["victor"], home, date=DAY, note="出生", **person("grandchild", dt.date(2020, 2, 1), "F")
    )
    event = PersonEvent.objects.get(person=baby)
    assert (event.kind, event.date, event.to_household) == ("move_in", DAY, home)
    assert len(audits("registry.add_person")) == 1


def test_a_corrected_id_number_is_checked_again(actors: dict[str, Any]) -> None:
    head = household(actors["alice"]).persons.get(relation="head")
    with pytest.raises(ValidationError, match="校验码"):
        actions.update_person(
            actors["alice"],
            head,
            id_number=head.id_number[:17] + "0" if head.id_number[17] != "0" else head.id_number[:17] + "1",
        )
    actions.update_person(actors["alice"], head, labour="none")
    assert Person.objects.get(pk=head.pk).labour == "none"
    assert audits("registry.update_person")[0].before == {"labour": "full"}


def test_setting_income_replaces_that_year_only(actors: dict[str, Any]) -> None:
    head = household(actors["alice"]).persons.get(relation="head")
    actions.set_person_income(actors["alice"], head, 2019, wages_fen=100)
    actions.set_person_income(actors["alice"], head, 2020, business_fen=500)
    assert list(head.incomes.order_by("year").values_list("year", "wages_fen", "farming_fen", "business_fen")) == [
        (2019, 100, 0, 0),
        (2020, 0, 0, 500),
    ]
    assert audits("registry.set_person_income")[0].before["farming_fen"] == 320_000


def test_a_negative_income_is_refused(actors: dict[str, Any]) -> None:
    head = household(actors["alice"]).persons.get(relation="head")
    with pytest.raises(ValidationError):
        actions.set_person_income(actors["alice"], head, 2020, wages_fen=-1)


def test_a_death_keeps_the_person_and_closes_the_household_when_nobody_is_left(actors: dict[str, Any]) -> None:
    home = household(actors["alice"])
    head, spouse = home.persons.order_by("id")
    actions.record_death(SYSTEM, head, date=DAY, note="病故")
    assert Person.objects.get(pk=head.pk).status == "deceased"
    assert Household.objects.get(pk=home.pk).active
    actions.record_move_out(actors["alice"], spouse, date=DAY)
    home.refresh_from_db()
    assert not home.active and "无在册成员" in home.closed_reason
    assert Person.objects.count() == 2
    assert list(PersonEvent.objects.order_by("id").values_list("kind", flat=True)) == ["death", "move_out"]
    with pytest.raises(ValidationError, match="已是「死亡」"):
        actions.record_death(SYSTEM, head, date=DAY)


def test_merging_moves_the_members_and_closes_the_source(actors: dict[str, Any]) -> None:
    into = household(actors["alice"], "H1")
    source = household(actors["alice"], "H2", members=[person(birth=dt.date(1990, 1, 1))])
    actions.merge_households(SYSTEM, source, into, date=DAY, note="分户后合户")
    source.refresh_from_db()
    assert (source.active, source.merged_into) == (False, into)
    assert into.persons.count() == 3 and into.persons.filter(relation="head").count() == 1
    assert PersonEvent.objects.get(kind="merge").from_household == source
    assert len(audits("registry.merge_households")) == 1


def test_merging_across_counties_is_refused_for_a_county_officer(actors: dict[str, Any]) -> None:
    mine = household(actors["alice"], "H1")
    theirs = household(actors["bob"], "H2", village=FAR_VILLAGE, members=[person(birth=dt.date(1990, 1, 1))])
    with pytest.raises(PermissionDenied):
        actions.merge_households(actors["alice"], theirs, mine, date=DAY)
    assert Household.objects.get(pk=theirs.pk).active


def test_households_and_persons_cannot_be_deleted_even_in_bulk(actors: dict[str, Any]) -> None:
    home = household(actors["alice"])
    for attempt in (
        home.delete,
        home.persons.first().delete,
        Person.objects.all().delete,
        Household.objects.all().delete,
    ):
        with pytest.raises(PermissionDenied, match="不能删除"):
            attempt()
    assert Household.objects.count() == 1 and Person.objects.count() == 2


def test_an_id_number_already_registered_is_refused(actors: dict[str, Any]) -> None:
    home = household(actors["alice"])
    taken = home.persons.get(relation="head").id_number
    with pytest.raises(ValidationError, match="身份证号"):
        actions.add_person(actors["alice"], home, **person("child", id_number=taken))
    assert Person.objects.count() == 2
