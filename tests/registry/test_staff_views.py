"""工作人员管理 in the staff app (issue #15): the administrator lists their region's staff, adds a cadre with
role and region (password generated, shown once), resets a password, deactivates and reactivates — each an
audited action; role × region: nobody else manages, an administrator stays inside their region."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from jingzhun.core.models import AuditEvent, Role, StaffProfile
from tests.staff import PASSWORD

pytestmark = pytest.mark.django_db

NEW = {"username": "wang01", "name": "王小明", "role": Role.VILLAGE_CADRE, "region": "141102001002", "phone": ""}


@pytest.fixture
def lishi_admin(personas: Any, regions: Any) -> Any:
    """An administrator of 离石区 (county level), besides root, the city's."""
    from jingzhun.registry.models import Region

    user = User.objects.create_user("lishi", password=PASSWORD)
    StaffProfile.objects.create(user=user, role=Role.ADMIN, region=Region.objects.get(code="141102"), name="县管理员")
    return user


def _password(html: str) -> str:
    found = re.search(r'id="new-password">([^<]+)<', html)
    assert found, html[:500]
    return found.group(1)


def test_the_administrator_adds_a_cadre_who_can_sign_in_with_the_password_shown_once(login: Any, world: Any) -> None:
    client = login("root")
    response = client.post("/staff/new/", NEW)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    password = _password(response.content.decode())
    staff = StaffProfile.objects.select_related("user", "region").get(user__username="wang01")
    assert (staff.name, staff.role, staff.region.code) == ("王小明", Role.VILLAGE_CADRE, "141102001002")
    assert Client().login(username="wang01", password=password)
    event = AuditEvent.objects.get(action="core.create_staff")
    assert event.after["username"] == "wang01" and password not in str(event.after)
    assert "王小明" in client.get("/staff/").content.decode()


def test_an_administrator_of_the_city_manages_every_county(login: Any, world: Any) -> None:
    response = login("root").post("/staff/new/", {**NEW, "username": "jk01", "region": "141130001001"})
    assert response.status_code == 200 and StaffProfile.objects.filter(user__username="jk01").exists()


def test_a_county_administrator_cannot_create_a_login_outside_their_county(
    client: Client, lishi_admin: Any, world: Any
) -> None:
    assert client.login(username="lishi", password=PASSWORD)
    assert client.post("/staff/new/", {**NEW, "region": "141130001001"}).status_code == 403
    assert not User.objects.filter(username="wang01").exists()
    assert client.post("/staff/new/", NEW).status_code == 200
    listing = client.get("/staff/").content.decode()
    assert "wang01" in listing and "zoe" not in listing  # 交口县's officer is not theirs to see


@pytest.mark.parametrize("persona", ["tom", "alice", "audrey", "victor", "carl"])
def test_nobody_but_an_administrator_manages_staff(login: Any, world: Any, personas: Any, persona: str) -> None:
    client = login(persona)
    victor = personas["victor"]
    assert client.get("/staff/").status_code == 403
    assert client.post("/staff/new/", NEW).status_code == 403
    assert client.post(f"/staff/{victor.pk}/password/").status_code == 403
    assert client.post(f"/staff/{victor.pk}/active/", {"active": "0", "reason": "x"}).status_code == 403
    assert not User.objects.filter(username="wang01").exists()
    assert Client().login(username="victor", password=PASSWORD)


def test_a_reset_password_replaces_the_old_one_and_is_audited(login: Any, world: Any, personas: Any) -> None:
    victor = personas["victor"]
    response = login("root").post(f"/staff/{victor.pk}/password/", {"reason": "忘记密码"})
    password = _password(response.content.decode())
    assert not Client().login(username="victor", password=PASSWORD)
    assert Client().login(username="victor", password=password)
    event = AuditEvent.objects.get(action="core.reset_staff_password")
    assert event.object_id == str(victor.pk) and event.reason == "忘记密码" and password not in str(event.after)


def test_deactivate_needs_a_reason_then_stops_the_login_and_reactivate_restores_it(
    login: Any, world: Any, personas: Any
) -> None:
    victor, client = personas["victor"], login("root")
    page = client.post(f"/staff/{victor.pk}/active/", {"active": "0", "reason": ""}, follow=True).content.decode()
    assert "请填写停用或启用的原因" in page and Client().login(username="victor", password=PASSWORD)
    client.post(f"/staff/{victor.pk}/active/", {"active": "0", "reason": "调离本村"})
    assert not Client().login(username="victor", password=PASSWORD)
    assert "已停用" in client.get("/staff/").content.decode()
    client.post(f"/staff/{victor.pk}/active/", {"active": "1", "reason": "返岗"})
    assert Client().login(username="victor", password=PASSWORD)
    kinds = list(AuditEvent.objects.filter(object_id=str(victor.pk)).values_list("action", "reason").order_by("id"))
    assert kinds == [("core.deactivate_staff", "调离本村"), ("core.reactivate_staff", "返岗")]


def test_a_county_administrator_cannot_reset_another_countys_officer(
    client: Client, lishi_admin: Any, world: Any, personas: Any
) -> None:
    assert client.login(username="lishi", password=PASSWORD)
    assert client.post(f"/staff/{personas['zoe'].pk}/password/").status_code == 403
    assert Client().login(username="zoe", password=PASSWORD)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"username": "alice"}, "账号「alice」已存在"),
        ({"username": "a b"}, "账号为 3–30 位字母"),
        ({"role": Role.VILLAGE_CADRE, "region": "141102"}, "工作区域应为村"),
        ({"region": "999999"}, "无权操作该区域"),
        ({"role": Role.ADMIN}, "选择一个有效的选项"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(
    login: Any, world: Any, change: dict[str, str], message: str
) -> None:
    before = (User.objects.count(), AuditEvent.objects.count())
    response = login("root").post("/staff/new/", {**NEW, **change})
    assert message in response.content.decode()
    assert (User.objects.count(), AuditEvent.objects.count()) == before
