"""Staff logins with their role and region (工作人员账号): one action, one transaction, one audit row.

The registry holds it because a staff member's region is a registry ``Region``; the roles are core's.
Today only ``jingzhun demo`` creates logins this way (the admin creates the rest, audited in core/admin.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from jingzhun.core.actions import Actor, record_audit
from jingzhun.core.models import Role, StaffProfile
from jingzhun.registry.actions import update_household
from jingzhun.registry.models import Household, Region

# (username, password, role, region code)
Login = tuple[str, str, str, str]


def create_staff_logins(actor: Actor, logins: Sequence[Login]) -> list[Any]:
    """Create each login with its StaffProfile (an administrator is a superuser); a 帮扶 cadre is assigned
    the registered-poor households of their village. All or nothing; one audit row naming the users."""
    users = []
    with transaction.atomic():
        for username, password, role, code in logins:
            if role == Role.ADMIN:
                user = User.objects.create_superuser(username, password=password)
            else:
                user = User.objects.create_user(username, password=password)
            StaffProfile.objects.create(user=user, role=role, region=Region.objects.get(code=code))
            if role == Role.ASSIGNED_CADRE:
                _assign_households(actor, user, code)
            users.append(user)
        record_audit(actor, "create_demo_logins", object_type="User", after={"usernames": [u.username for u in users]})
    return users


def _assign_households(actor: Actor, cadre: Any, village_code: str) -> None:
    for household in Household.objects.filter(
        village__code=village_code, registered_year__isnull=False, active=True
    ).select_related("village"):
        update_household(actor, household, assigned_cadre=cadre)
