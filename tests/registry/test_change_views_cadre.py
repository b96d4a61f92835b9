"""帮扶责任人调整: county and township officers pick a 帮扶 cadre whose region covers the household."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from jingzhun.core.models import AuditEvent, Role, StaffProfile
from jingzhun.registry.models import Region

pytestmark = pytest.mark.django_db


def cadre(username: str, region: str, last: str, first: str, phone: str = "") -> User:
    user = User.objects.create_user(username, password="pw-12345678", last_name=last, first_name=first)
    StaffProfile.objects.create(
        user=user, role=Role.ASSIGNED_CADRE, region=Region.objects.get(code=region), phone=phone
    )
    return user


@pytest.fixture
def dora(world: Any) -> User:
    """A 帮扶 cadre working for the whole township 信义镇."""
    return cadre("dora", "141102001000", "郝", "晓东", "13800000001")


def test_township_officer_reassigns_and_name_and_phone_follow_the_account(
    login: Any, world: Any, personas: Any, dora: User
) -> None:
    household = world["own"]
    response = login("tom").post(f"/households/{household.pk}/cadre/", {"assigned_cadre": dora.pk})
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.assigned_cadre == dora
    assert (household.cadre_name, household.cadre_phone) == ("郝晓东", "13800000001")
    audit = AuditEvent.objects.get()
    assert audit.action == "registry.update_household" and audit.actor_label == "tom"
    assert audit.before["assigned_cadre_id"] == personas["carl"].pk
    assert audit.after["assigned_cadre_id"] == dora.pk


def test_the_new_cadre_sees_the_household_and_the_old_one_no_longer_does(login: Any, world: Any, dora: User) -> None:
    household = world["own"]
    login("alice").post(f"/households/{household.pk}/cadre/", {"assigned_cadre": dora.pk, "cadre_name": "郝主任"})
    household.refresh_from_db()
    assert household.cadre_name == "郝主任"
    assert login("dora").get(f"/households/{household.pk}/").status_code == 200
    assert login("carl").get(f"/households/{household.pk}/").status_code == 404


def test_only_cadres_covering_the_village_are_offered(login: Any, world: Any, personas: Any, dora: User) -> None:
    elsewhere = cadre("ed", "141102002000", "吴", "城")
    page = login("alice").get(f"/households/{world['own'].pk}/cadre/").content.decode()
    assert "郝晓东（账号 dora · 信义镇）" in page and "账号 carl" in page
    assert "账号 ed" not in page and "账号 victor" not in page
    response = login("alice").post(f"/households/{world['own'].pk}/cadre/", {"assigned_cadre": elsewhere.pk})
    assert response.status_code == 200
    assert "所选账号不是本户所在区域的帮扶干部" in response.content.decode()
    world["own"].refresh_from_db()
    assert world["own"].assigned_cadre == personas["carl"] and not AuditEvent.objects.exists()


def test_a_non_cadre_account_is_refused(login: Any, world: Any, personas: Any) -> None:
    response = login("tom").post(f"/households/{world['own'].pk}/cadre/", {"assigned_cadre": personas["victor"].pk})
    assert "所选账号不是本户所在区域的帮扶干部" in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_an_unchanged_form_writes_nothing(login: Any, world: Any, personas: Any) -> None:
    household = world["own"]
    data = {"assigned_cadre": personas["carl"].pk, "cadre_name": household.cadre_name}
    response = login("tom").post(f"/households/{household.pk}/cadre/", data)
    assert response.status_code == 302 and not AuditEvent.objects.exists()


@pytest.mark.parametrize("persona", ["victor", "carl"])
def test_village_and_assigned_cadres_may_not_reassign(login: Any, world: Any, dora: User, persona: str) -> None:
    household = world["own"]
    client = login(persona)
    assert f"/households/{household.pk}/cadre/" not in client.get(f"/households/{household.pk}/").content.decode()
    response = client.post(f"/households/{household.pk}/cadre/", {"assigned_cadre": dora.pk})
    assert response.status_code == 403 and "帮扶责任人调整由县、乡镇经办人员办理" in response.content.decode()
    household.refresh_from_db()
    assert household.assigned_cadre != dora and not AuditEvent.objects.exists()


def test_auditor_may_not_reassign(login: Any, world: Any, dora: User) -> None:
    response = login("audrey").post(f"/households/{world['own'].pk}/cadre/", {"assigned_cadre": dora.pk})
    assert response.status_code == 403 and "只读" in response.content.decode()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("where", ["sibling_township", "other_county"])
def test_a_household_outside_the_township_is_not_found(login: Any, world: Any, dora: User, where: str) -> None:
    client = login("tom")
    assert client.get(f"/households/{world[where].pk}/cadre/").status_code == 404
    assert client.post(f"/households/{world[where].pk}/cadre/", {"assigned_cadre": dora.pk}).status_code == 404
    assert not AuditEvent.objects.exists()


def test_officers_see_the_button(login: Any, world: Any) -> None:
    assert (
        f"/households/{world['own'].pk}/cadre/" in login("tom").get(f"/households/{world['own'].pk}/").content.decode()
    )
