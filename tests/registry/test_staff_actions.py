"""Staff logins are made by one action (registry/staff_actions.py): all or nothing, one audit row."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent, Role
from jingzhun.registry.models import Region
from jingzhun.registry.staff_actions import create_staff_logins

pytestmark = pytest.mark.django_db


def test_logins_get_their_role_and_region_and_one_audit_row(villages: Any) -> None:
    users = create_staff_logins(
        Actor.system("demo"),
        [("boss", "pw-1", Role.ADMIN, "141100"), ("officer", "pw-2", Role.COUNTY_OFFICER, "141102")],
    )
    assert [u.username for u in users] == ["boss", "officer"]
    assert users[0].is_superuser and not users[1].is_superuser
    assert users[1].staff.role == Role.COUNTY_OFFICER and users[1].staff.region.code == "141102"
    assert AuditEvent.objects.get(action="create_demo_logins").after == {"usernames": ["boss", "officer"]}


def test_an_unknown_region_leaves_no_login_and_no_audit_row(villages: Any) -> None:
    with pytest.raises(Region.DoesNotExist):
        create_staff_logins(
            Actor.system("demo"),
            [("boss", "pw-1", Role.ADMIN, "141100"), ("lost", "pw-2", Role.VILLAGE_CADRE, "999999999999")],
        )
    assert not User.objects.exists() and not AuditEvent.objects.exists()
