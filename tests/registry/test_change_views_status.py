"""户状态 is no longer edited directly (issue #14): the old 户状态变更 page and its 信息变更申请 refuse, for
everyone; exit goes through the exit workflow (tests/monitoring/exit) and 返贫 through a case."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.registry.change_actions import STATUS_NOT_EDITED, propose_change
from jingzhun.registry.models import ChangeRequest, HouseholdStatusEvent

pytestmark = pytest.mark.django_db


def status_form(
    status: str = "exited_supported", date: str = "2020-05-01", note: str = "人均纯收入超过当年标准"
) -> dict[str, str]:
    return {"status": status, "date": date, "note": note}


@pytest.mark.parametrize("persona", ["victor", "tom", "alice", "root"])
def test_nobody_changes_the_status_on_the_old_page(login: Any, world: Any, persona: str) -> None:
    household = world["own"]
    client = login(persona)
    assert client.get(f"/households/{household.pk}/status/").status_code == 403
    response = client.post(f"/households/{household.pk}/status/", status_form())
    assert response.status_code == 403 and "户状态不再直接修改" in response.content.decode()
    household.refresh_from_db()
    assert household.status == "not_exited" and not HouseholdStatusEvent.objects.exists()
    assert not ChangeRequest.objects.exists() and not AuditEvent.objects.exists()


def test_the_household_page_has_no_status_button_any_more(login: Any, world: Any) -> None:
    page = login("victor").get(f"/households/{world['own'].pk}/").content.decode()
    assert f"/households/{world['own'].pk}/status/" not in page and "状态变更</a>" not in page


def test_a_status_change_request_cannot_be_proposed_through_the_action(world: Any, personas: Any) -> None:
    actor = Actor.for_user(personas["victor"])
    with pytest.raises(Exception, match="户状态不再直接修改"):
        propose_change(actor, world["own"], "status", status_form())
    assert not ChangeRequest.objects.exists()


def test_a_pending_request_from_before_cannot_be_approved(login: Any, world: Any) -> None:
    household = world["own"]
    ChangeRequest.objects.create(
        household=household,
        kind="status",
        payload=status_form(),
        summary="户状态：未脱贫 → 已脱贫（享受政策）",
        decide_region=household.village.code,
        proposer_label="victor",
        proposer_role="village_cadre",
    )
    change = ChangeRequest.objects.get()
    response = login("alice").post(
        f"/households/changes/{change.pk}/decide/", {"decision": "approve", "reason": "核实无误"}, follow=True
    )
    household.refresh_from_db()
    assert household.status == "not_exited" and not HouseholdStatusEvent.objects.exists()
    assert STATUS_NOT_EDITED[:20] in response.content.decode()
    assert ChangeRequest.objects.get().state == "pending"


@pytest.mark.parametrize("where", ["sibling_village", "sibling_township", "other_county"])
def test_a_household_outside_the_village_is_still_not_found(login: Any, world: Any, where: str) -> None:
    household = world[where]
    client = login("victor")
    assert client.get(f"/households/{household.pk}/status/").status_code == 404
    assert client.post(f"/households/{household.pk}/status/", status_form()).status_code == 404


def test_auditor_may_not_post(login: Any, world: Any) -> None:
    household = world["own"]
    response = login("audrey").post(f"/households/{household.pk}/status/", status_form())
    assert response.status_code == 403
    household.refresh_from_db()
    assert household.status == "not_exited" and not AuditEvent.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="victor", password="pw-12345678")
    response = client.post(f"/households/{world['own'].pk}/status/", status_form())
    assert response.status_code == 403
    world["own"].refresh_from_db()
    assert world["own"].status == "not_exited"
