"""信息变更申请 (maker–checker): who may propose and who may decide, each kind applied on approval, audited.

Personas (``staff``): alice and alan county officers of 离石区, tom township officer of 信义镇, tina of
吴城镇 (a sibling township), victor village cadre and carl 帮扶 cadre of 信义村, audrey auditor, zoe county
officer of 交口县, root administrator.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent, Role
from jingzhun.registry import actions
from jingzhun.registry.change_actions import (
    approve_change,
    propose_change,
    refusal,
    reject_change,
    withdraw_change,
)
from jingzhun.registry.models import ChangeRequest, Household, Person
from tests.staff import make_household

pytestmark = pytest.mark.django_db
DAY = "2020-03-01"
ACCOUNT = "6228480012345678901"
PLAN = {
    "alice": (Role.COUNTY_OFFICER, "141102"),
    "alan": (Role.COUNTY_OFFICER, "141102"),
    "tom": (Role.TOWNSHIP_OFFICER, "141102001000"),
    "tina": (Role.TOWNSHIP_OFFICER, "141102002000"),
    "victor": (Role.VILLAGE_CADRE, "141102001001"),
    "carl": (Role.ASSIGNED_CADRE, "141102001001"),
    "audrey": (Role.AUDITOR, "141100"),
    "zoe": (Role.COUNTY_OFFICER, "141130"),
    "root": (Role.ADMIN, "141100"),
}


@pytest.fixture
def staff(regions: dict[str, Any]) -> dict[str, Actor]:
    from django.contrib.auth.models import User

    from jingzhun.core.models import StaffProfile
    from jingzhun.registry.models import Region

    out = {}
    for name, (role, code) in PLAN.items():
        user = User.objects.create_user(name, password="x")
        StaffProfile.objects.create(user=user, role=role, region=Region.objects.get(code=code))
        out[name] = Actor.for_user(user)
    return out


@pytest.fixture
def home(regions: dict[str, Any], staff: dict[str, Actor]) -> Household:
    """信义村's household assigned to carl: 刘保平 (户主) and 王秀英, status 帮扶."""
    return make_household(
        regions["v11"], "1411020010010001", "刘保平", others=("王秀英",), assigned_cadre=staff["carl"].user
    )


def bank(actor: Actor, household: Household) -> ChangeRequest:
    return propose_change(actor, household, "bank_account", {"bank_name": "农商银行", "bank_account": ACCOUNT})


def audit_actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


DECIDERS = {
    "victor": {"tom", "alice", "alan", "root"},  # a village cadre's: the township, or above
    "carl": {"tom", "alice", "alan", "root"},
    "tom": {"alice", "alan", "root"},  # a township officer's: the county
    "alice": {"alan", "root"},  # a county officer's: another county officer, or the administrator
}


@pytest.mark.parametrize("proposer", list(DECIDERS))
def test_who_may_decide_depends_on_the_proposers_level_and_the_region(
    staff: dict[str, Actor], home: Household, proposer: str
) -> None:
    request = bank(staff[proposer], home)
    allowed = {name for name, actor in staff.items() if not refusal(actor, request)}
    assert allowed == DECIDERS[proposer]
    for name in sorted(set(staff) - allowed):
        with pytest.raises(PermissionDenied):
            approve_change(staff[name], request)
    home.refresh_from_db()
    assert home.bank_account == "" and ChangeRequest.objects.get().state == "pending"
    approve_change(staff[sorted(allowed)[0]], request)
    home.refresh_from_db()
    assert (home.bank_name, home.bank_account) == ("农商银行", ACCOUNT)


def test_the_proposer_never_approves_their_own_request(staff: dict[str, Actor], home: Household) -> None:
    request = bank(staff["tom"], home)
    with pytest.raises(PermissionDenied, match="不能审批本人提出的申请"):
        approve_change(staff["tom"], request)
    with pytest.raises(PermissionDenied, match="不能审批本人"):
        reject_change(staff["tom"], request, reason="x")


@pytest.mark.parametrize(
    ("start", "wanted"),
    [
        ("not_exited", "exited_supported"),
        ("exited_supported", "returned"),
        ("exited_supported", "exited_closed"),
        ("returned", "exited_supported"),
        ("exited_closed", "returned"),
    ],
)
def test_no_status_change_is_proposed_any_more(
    staff: dict[str, Actor], home: Household, start: str, wanted: str
) -> None:
    """户状态 changes only through the exit workflow and the 返贫 case (issue #14)."""
    Household.objects.filter(pk=home.pk).update(status=start, status_date=dt.date(2019, 1, 1))
    with pytest.raises(ValidationError, match="户状态不再直接修改"):
        propose_change(staff["victor"], home, "status", {"status": wanted, "date": DAY, "note": "核验"})
    home.refresh_from_db()
    assert home.status == start and not ChangeRequest.objects.exists() and not AuditEvent.objects.exists()


def test_a_bank_account_change_is_applied_on_approval_with_three_audit_rows(
    staff: dict[str, Actor], home: Household
) -> None:
    request = bank(staff["victor"], home)
    assert request.summary == "农商银行 账号尾号 8901" and ACCOUNT not in request.summary
    assert audit_actions() == ["registry.propose_change"]
    approve_change(staff["tom"], request, reason="核对存折")
    assert audit_actions() == ["registry.propose_change", "registry.update_household", "registry.approve_change"]
    approve = AuditEvent.objects.get(action="registry.approve_change")
    assert (approve.actor_label, approve.object_id, approve.region_code) == ("tom", str(request.pk), "141102001001")
    request.refresh_from_db()
    assert (request.state, request.decider_label, request.decision_reason) == ("approved", "tom", "核对存折")
    assert request.decided_at is not None


def test_a_death_is_registered_on_approval(staff: dict[str, Actor], home: Household) -> None:
    spouse = home.persons.get(name="王秀英")
    request = propose_change(staff["carl"], home, "death", {"person": spouse.pk, "date": DAY, "note": "病故"})
    assert Person.objects.get(pk=spouse.pk).status == "active"
    approve_change(staff["tom"], request)
    assert Person.objects.get(pk=spouse.pk).status == "deceased"
    assert "registry.record_death" in audit_actions()


def test_a_head_change_is_made_on_approval(staff: dict[str, Actor], home: Household) -> None:
    spouse = home.persons.get(name="王秀英")
    request = propose_change(staff["victor"], home, "head", {"new_head": spouse.pk, "note": "户主外出务工"})
    assert request.summary == "王秀英 任户主"
    approve_change(staff["tom"], request)
    assert Person.objects.get(pk=spouse.pk).relation == "head"
    assert home.persons.get(name="刘保平").relation == "other"


def test_a_merge_is_made_on_approval(staff: dict[str, Actor], home: Household, regions: dict[str, Any]) -> None:
    other = make_household(regions["v11"], "1411020010010002", "孙有福")
    request = propose_change(staff["victor"], other, "merge", {"into": home.household_no, "date": DAY})
    approve_change(staff["alice"], request)
    other.refresh_from_db()
    assert (other.active, other.merged_into_id) == (False, home.pk)
    assert home.persons.filter(status="active").count() == 3


def test_approval_checks_the_change_again_and_leaves_it_pending_when_it_no_longer_holds(
    staff: dict[str, Actor], home: Household
) -> None:
    spouse = home.persons.get(name="王秀英")
    head_change = propose_change(staff["victor"], home, "head", {"new_head": spouse.pk})
    death = propose_change(staff["victor"], home, "death", {"person": spouse.pk, "date": DAY})
    approve_change(staff["tom"], death)
    with pytest.raises(ValidationError):
        approve_change(staff["tom"], head_change)
    head_change.refresh_from_db()
    assert head_change.state == "pending" and home.persons.get(name="刘保平").relation == "head"
    assert audit_actions().count("registry.approve_change") == 1


def test_one_pending_request_per_household_and_kind(staff: dict[str, Actor], home: Household) -> None:
    first = bank(staff["victor"], home)
    with pytest.raises(ValidationError, match="已有待审批的「银行账号变更」申请"):
        bank(staff["tom"], home)
    withdraw_change(staff["victor"], first)
    assert bank(staff["tom"], home).state == "pending"


def test_only_the_proposer_withdraws_and_a_rejection_needs_a_reason(staff: dict[str, Actor], home: Household) -> None:
    request = bank(staff["victor"], home)
    with pytest.raises(PermissionDenied, match="只有申请人本人"):
        withdraw_change(staff["tom"], request)
    with pytest.raises(ValidationError, match="驳回须填写理由"):
        reject_change(staff["tom"], request, reason=" ")
    reject_change(staff["tom"], request, reason="账号与存折不符")
    request.refresh_from_db()
    assert request.state == "rejected" and home.bank_account == ""
    with pytest.raises(PermissionDenied, match="已驳回"):
        approve_change(staff["alice"], request)
    assert audit_actions() == ["registry.propose_change", "registry.reject_change"]


def test_a_proposal_is_checked_by_the_kinds_form(staff: dict[str, Actor], home: Household) -> None:
    with pytest.raises(ValidationError, match="银行账号应为 12–30 位数字"):
        propose_change(staff["victor"], home, "bank_account", {"bank_account": "12ab"})
    with pytest.raises(ValidationError, match="户状态不再直接修改"):
        propose_change(staff["victor"], home, "status", {"status": "not_exited", "date": DAY})
    assert not ChangeRequest.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.parametrize("name", ["audrey", "zoe", "tina"])
def test_auditors_and_staff_of_other_regions_cannot_propose(
    staff: dict[str, Actor], home: Household, name: str
) -> None:
    with pytest.raises(PermissionDenied):
        bank(staff[name], home)
    assert not ChangeRequest.objects.exists()


def test_a_cadre_proposes_only_for_the_households_assigned_to_them(
    staff: dict[str, Actor], home: Household, regions: dict[str, Any]
) -> None:
    other = make_household(regions["v11"], "1411020010010002", "孙有福")
    with pytest.raises(PermissionDenied, match="本人帮扶的户"):
        bank(staff["carl"], other)
    assert bank(staff["carl"], home).proposer_role == "assigned_cadre"


def test_staff_cannot_make_the_five_changes_directly(staff: dict[str, Actor], home: Household) -> None:
    spouse = home.persons.get(name="王秀英")
    day = dt.date(2020, 3, 1)
    alice = staff["alice"]
    for attempt in (
        lambda: actions.update_household(alice, home, bank_account=ACCOUNT),
        lambda: actions.change_household_status(alice, home, "exited_supported", date=day),
        lambda: actions.record_death(alice, spouse, date=day),
        lambda: actions.change_head(alice, home, spouse),
        lambda: actions.merge_households(alice, home, home, date=day),
    ):
        with pytest.raises(PermissionDenied, match="须提交信息变更申请"):
            attempt()
    home.refresh_from_db()
    assert (home.bank_account, home.status) == ("", "not_exited") and not AuditEvent.objects.exists()
    actions.update_household(alice, home, address="新地址 1 号")  # the other facts are still edited directly
    assert Household.objects.get(pk=home.pk).address == "新地址 1 号"


def test_a_cadre_writes_nothing_else_in_the_registry(staff: dict[str, Actor], home: Household) -> None:
    carl, head = staff["carl"], home.persons.get(name="刘保平")
    day = dt.date(2020, 3, 1)
    for attempt in (
        lambda: actions.update_household(carl, home, address="新地址"),
        lambda: actions.update_person(carl, head, name="刘宝平"),
        lambda: actions.set_person_income(carl, head, 2020, wages_fen=100),
        lambda: actions.record_move_out(carl, head, date=day),
        lambda: actions.add_person(carl, home, id_number="141102200001010011", name="新生儿"),
        lambda: actions.create_household(carl, household_no="X", village_code="141102001001", members=[]),
    ):
        with pytest.raises(PermissionDenied, match="帮扶干部只能填写帮扶记录和提出信息变更申请"):
            attempt()
    assert not AuditEvent.objects.exists()
