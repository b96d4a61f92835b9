"""Writes to the project library: one audit row each, region-checked, auditors refused, nothing deleted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.projects.actions import add_allocation, create_project, update_project
from jingzhun.projects.models import FundAllocation, Project

pytestmark = pytest.mark.django_db

V11, V12, T1, V21, V91 = "141102001001", "141102001002", "141102001000", "141102002001", "141130001001"


def _new(actor: Actor, code: str = "P1", region: str = V11, **fields: Any) -> Project:
    values = {"name": "信义村光伏扶贫电站", "kind": "pv", "year": 2019, **fields}
    return create_project(actor, code=code, region=region, **values)


def test_village_cadre_enters_a_project_of_their_village_with_one_audit_row(actors: dict[str, Actor]) -> None:
    project = _new(actors["victor"], beneficiary_households=42)
    assert Project.objects.get(code="P1").region.code == V11
    event = AuditEvent.objects.get(action="projects.create_project")
    assert (event.actor_label, event.object_id, event.region_code) == ("victor", "P1", V11)
    assert event.after["beneficiary_households"] == 42
    assert project.status == "planned"


def test_village_cadre_may_not_enter_a_township_or_another_village_project(actors: dict[str, Actor]) -> None:
    for region in (T1, V12):
        with pytest.raises(PermissionDenied):
            _new(actors["victor"], region=region)
    assert not Project.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="projects.").exists()


def test_township_officer_enters_a_township_project_but_not_a_county_one(actors: dict[str, Actor]) -> None:
    _new(actors["tom"], region=T1, kind="relocation")
    with pytest.raises(PermissionDenied):
        _new(actors["tom"], code="P2", region="141102")
    assert list(Project.objects.values_list("code", flat=True)) == ["P1"]


def test_auditor_is_refused_every_write(actors: dict[str, Actor], make_project: Callable[..., Any]) -> None:
    with pytest.raises(PermissionDenied):
        _new(actors["audrey"])
    project = make_project("P9", V11)
    with pytest.raises(PermissionDenied):
        update_project(actors["audrey"], project, status="building")
    with pytest.raises(PermissionDenied):
        add_allocation(actors["audrey"], project, source="central", amount_fen=100)
    assert Project.objects.get(code="P9").status == "planned"
    assert not FundAllocation.objects.exists()


def test_assigned_cadre_is_refused_every_write_even_in_their_village(
    actors: dict[str, Actor], make_project: Callable[..., Any]
) -> None:
    carl = actors["carl"]  # 帮扶 cadre in 信义村: reads, writes 帮扶记录, proposes changes; nothing else
    with pytest.raises(PermissionDenied, match="帮扶干部"):
        _new(carl)
    project = make_project("P8", V11)
    with pytest.raises(PermissionDenied, match="帮扶干部"):
        update_project(carl, project, status="building")
    with pytest.raises(PermissionDenied, match="帮扶干部"):
        add_allocation(carl, project, source="central", amount_fen=100)
    assert Project.objects.get(code="P8").status == "planned"
    assert not FundAllocation.objects.exists()


def test_another_county_is_out_of_reach(actors: dict[str, Actor], make_project: Callable[..., Any]) -> None:
    project = make_project("JK1", V91)
    with pytest.raises(PermissionDenied):
        update_project(actors["alice"], project, name="改名")
    with pytest.raises(PermissionDenied):
        add_allocation(actors["alice"], project, source="central", amount_fen=100)


def test_code_is_unique(actors: dict[str, Actor]) -> None:
    _new(actors["alice"])
    with pytest.raises(ValidationError, match="已存在"):
        _new(actors["alice"], region=V12)
    assert Project.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"kind": "casino"}, "kind"),
        ({"year": 2009}, "year"),
        ({"status": "dreaming"}, "status"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_fields_are_refused_with_their_key(actors: dict[str, Actor], fields: dict[str, Any], key: str) -> None:
    with pytest.raises(ValidationError) as raised:
        _new(actors["alice"], **fields)
    assert key in raised.value.message_dict
    assert not Project.objects.exists()


def test_a_province_is_not_a_project_region(actors: dict[str, Actor]) -> None:
    with pytest.raises(ValidationError, match="县、乡镇或村"):
        _new(Actor.system(), region="140000")


def test_update_audits_only_what_changed(actors: dict[str, Actor], make_project: Callable[..., Any]) -> None:
    project = make_project("P1", V11)
    update_project(actors["victor"], project, status="building", description="已开工")
    event = AuditEvent.objects.get(action="projects.update_project")
    assert event.before == {"status": "planned", "description": ""}
    assert event.after == {"status": "building", "description": "已开工"}
    assert Project.objects.get(code="P1").status == "building"


def test_status_never_goes_back(actors: dict[str, Actor], make_project: Callable[..., Any]) -> None:
    project = make_project("P1", V11, status="accepted")
    with pytest.raises(ValidationError, match="不能从「已验收」退回「在建」"):
        update_project(actors["alice"], project, status="building")
    assert Project.objects.get(code="P1").status == "accepted"


def test_moving_a_project_needs_both_regions_in_scope(
    actors: dict[str, Actor], make_project: Callable[..., Any]
) -> None:
    project = make_project("P1", V11)
    with pytest.raises(PermissionDenied):
        update_project(actors["tom"], project, region=V21)
    update_project(actors["tom"], project, region=V12)
    assert Project.objects.get(code="P1").region.code == V12


def test_allocation_adds_funds_in_fen_with_an_audit_row(
    actors: dict[str, Actor], make_project: Callable[..., Any]
) -> None:
    project = make_project("P1", V11)
    add_allocation(actors["victor"], project, source="integrated", amount_fen=245_000_00, note="2019年整合资金")
    allocation = FundAllocation.objects.get()
    assert (allocation.source, allocation.amount_fen) == ("integrated", 245_000_00)
    event = AuditEvent.objects.get(action="projects.add_allocation")
    assert event.after == {"project": "P1", "source": "integrated", "amount_fen": 245_000_00, "note": "2019年整合资金"}


@pytest.mark.parametrize(
    ("source", "amount", "key"),
    [
        ("central", 0, "amount_fen"),
        ("central", -5, "amount_fen"),
        ("central", 1.5, "amount_fen"),
        ("lottery", 100, "source"),
    ],
)
def test_bad_allocations_are_refused(
    make_project: Callable[..., Any], system: Actor, source: str, amount: Any, key: str
) -> None:
    project = make_project("P1", V11)
    with pytest.raises(ValidationError) as raised:
        add_allocation(system, project, source=source, amount_fen=amount)
    assert key in raised.value.message_dict
    assert not FundAllocation.objects.exists()


def test_projects_and_funds_are_never_deleted(make_project: Callable[..., Any]) -> None:
    project = make_project("P1", V11, funds={"central": 100})
    for doomed in (project, FundAllocation.objects.get()):
        with pytest.raises(PermissionDenied):
            doomed.delete()
    with pytest.raises(PermissionDenied):
        Project.objects.all().delete()
    with pytest.raises(PermissionDenied):
        FundAllocation.objects.all().delete()
    assert FundAllocation.objects.count() == Project.objects.count() == 1


def test_direct_beneficiaries_live_in_the_project_region(system: Actor, regions: dict[str, Any]) -> None:
    from jingzhun.registry.models import Household

    inside = Household.objects.create(
        household_no="H1", village=regions["v11"], address="1组", area="rural", housing_grade="A"
    )
    outside = Household.objects.create(
        household_no="H2", village=regions["v21"], address="1组", area="rural", housing_grade="A"
    )
    project = _new(system, region=T1, beneficiary_households=5, households=[inside.household_no])
    assert list(project.households.all()) == [inside]
    with pytest.raises(ValidationError, match="不在项目所在区域内"):
        update_project(system, project, households=[inside.household_no, outside.household_no])
    with pytest.raises(ValidationError, match="受益户数"):
        update_project(system, project, beneficiary_households=0)
    assert list(Project.objects.get().households.all()) == [inside]
