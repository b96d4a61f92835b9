"""The back office lists a region's projects with funds; its forms write through the audited actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from jingzhun.core.models import AuditEvent
from jingzhun.projects.models import FundAllocation, Project

pytestmark = pytest.mark.django_db

V11, V12, V91 = "141102001001", "141102001002", "141130001001"


@pytest.fixture
def village_staff(personas: dict[str, Any]) -> Any:
    """victor (村干部, 信义村) as a back-office user allowed every project permission Django has."""
    victor = personas["victor"]
    victor.is_staff = True
    victor.save()
    victor.user_permissions.set(Permission.objects.filter(content_type__app_label="projects"))
    return victor


def _form(region: Any, **fields: Any) -> dict[str, Any]:
    return {
        "code": "2020-A1",
        "name": "信义村人畜饮水安全工程",
        "kind": "infrastructure",
        "region": region.pk,
        "year": "2020",
        "status": "building",
        "beneficiary_households": "35",
        "description": "",
        "allocations-TOTAL_FORMS": "0",
        "allocations-INITIAL_FORMS": "0",
        **fields,
    }


def test_list_shows_funds_in_yuan_and_only_the_user_region(
    client: Client, village_staff: Any, make_project: Callable[..., Any]
) -> None:
    make_project("MINE", V11, name="信义村光伏扶贫电站", funds={"central": 500_000_00, "integrated": 245_000_50})
    make_project("NEIGHBOUR", V12, name="歧道村通村道路硬化")
    make_project("FAR", V91, name="水头村食用菌大棚")
    client.force_login(village_staff)
    text = client.get("/admin/projects/project/").content.decode()
    assert "信义村光伏扶贫电站" in text and "745,000.50" in text
    assert "歧道村通村道路硬化" not in text and "水头村食用菌大棚" not in text
    far = Project.objects.get(code="FAR")
    assert client.get(f"/admin/projects/project/{far.pk}/change/").status_code in (302, 404)


def test_adding_a_project_goes_through_create_project(
    client: Client, village_staff: Any, regions: dict[str, Any]
) -> None:
    client.force_login(village_staff)
    response = client.post("/admin/projects/project/add/", _form(regions["v11"]))
    assert response.status_code == 302, response.content.decode()[-3000:]
    project = Project.objects.get(code="2020-A1")
    assert (project.region.code, project.status, project.beneficiary_households) == (V11, "building", 35)
    event = AuditEvent.objects.get(action="projects.create_project")
    assert event.actor_label == "victor"


def test_a_region_outside_the_user_scope_cannot_be_chosen(
    client: Client, village_staff: Any, regions: dict[str, Any]
) -> None:
    client.force_login(village_staff)
    response = client.post("/admin/projects/project/add/", _form(regions["v12"]))
    assert response.status_code == 200
    assert not Project.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="projects.").exists()


def test_going_back_in_status_is_a_form_error_not_a_crash(
    client: Client, village_staff: Any, make_project: Callable[..., Any], regions: dict[str, Any]
) -> None:
    project = make_project("2020-A1", V11, status="accepted")
    client.force_login(village_staff)
    form = _form(
        regions["v11"], status="planned", name=project.name, kind="pv", year="2019", beneficiary_households="10"
    )
    form.pop("code")
    response = client.post(f"/admin/projects/project/{project.pk}/change/", form)
    assert response.status_code == 200
    assert "不能从「已验收」退回「计划」" in response.content.decode()
    assert Project.objects.get(pk=project.pk).status == "accepted"


def test_editing_a_project_audits_the_change(
    client: Client, village_staff: Any, make_project: Callable[..., Any], regions: dict[str, Any]
) -> None:
    project = make_project("2020-A1", V11, status="building")
    client.force_login(village_staff)
    form = _form(
        regions["v11"], status="completed", name=project.name, kind="pv", year="2019", beneficiary_households="10"
    )
    form.pop("code")
    assert client.post(f"/admin/projects/project/{project.pk}/change/", form).status_code == 302
    event = AuditEvent.objects.get(action="projects.update_project")
    assert event.before == {"status": "building"} and event.after == {"status": "completed"}


def test_funds_are_typed_in_yuan_and_stored_in_fen(
    client: Client, village_staff: Any, make_project: Callable[..., Any]
) -> None:
    project = make_project("2020-A1", V11)
    client.force_login(village_staff)
    form = {"project": project.pk, "source": "social", "amount_yuan": "12345.67", "note": "对口帮扶单位捐赠"}
    response = client.post("/admin/projects/fundallocation/add/", form)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert FundAllocation.objects.get().amount_fen == 1_234_567
    assert AuditEvent.objects.get(action="projects.add_allocation").actor_label == "victor"


def test_nothing_can_be_deleted_from_the_back_office(
    client: Client, village_staff: Any, make_project: Callable[..., Any]
) -> None:
    project = make_project("2020-A1", V11, funds={"central": 100})
    client.force_login(village_staff)
    assert client.post(f"/admin/projects/project/{project.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Project.objects.count() == FundAllocation.objects.count() == 1


def test_saving_without_changes_writes_no_audit_row(
    client: Client, village_staff: Any, make_project: Callable[..., Any], regions: dict[str, Any]
) -> None:
    project = make_project("2020-A1", V11, status="building")
    client.force_login(village_staff)
    form = _form(regions["v11"], status="building", name=project.name, kind="pv", year="2019")
    form.pop("code")
    assert (
        client.post(
            f"/admin/projects/project/{project.pk}/change/", {**form, "beneficiary_households": "10"}
        ).status_code
        == 302
    )
    assert not AuditEvent.objects.filter(action="projects.update_project").exists()
