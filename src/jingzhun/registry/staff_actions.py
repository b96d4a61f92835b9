"""Staff logins with their role and region (工作人员账号): one action, one transaction, one audit row.

The registry holds it because a staff member's region is a registry ``Region``; the roles are core's.
``jingzhun demo`` creates its logins with :func:`create_staff_logins`; the county administrator manages the
rest on the staff pages (issue #15, registry/staff_views.py): :func:`create_staff` (a cadre with role, region
and name; the password is generated and shown once), :func:`reset_password`, :func:`set_active`.

Who may manage: an administrator (``Role.ADMIN``) within their region — an administrator of 吕梁市 manages
every county, one of 离石区 only 离石区's staff; nobody else (a township officer, an auditor). Reading: an
administrator creates logins of the other roles only; a further administrator is made by the city's (the
Django admin), so no county administrator can mint an account stronger than their own. The password is never
written to an audit row.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jingzhun.core.actions import Actor, check_region, record_audit
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


MANAGEABLE_ROLES = (Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER, Role.VILLAGE_CADRE, Role.ASSIGNED_CADRE, Role.AUDITOR)
# The level of region each role works at (an auditor reads a county or the city).
ROLE_LEVELS = {
    Role.COUNTY_OFFICER: {"county"},
    Role.TOWNSHIP_OFFICER: {"township"},
    Role.VILLAGE_CADRE: {"village"},
    Role.ASSIGNED_CADRE: {"village"},
    Role.AUDITOR: {"city", "county"},
}
LEVEL_NAMES = {"city": "市", "county": "县（区、市）", "township": "乡镇", "village": "村"}
USERNAME = re.compile(r"[A-Za-z0-9_.-]{3,30}")
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/l/I: read out on a phone


def new_password() -> str:
    """12 characters a person can read aloud without confusing 0 and O (≈ 70 bits)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(12))


def check_manager(actor: Actor, region_code: str) -> None:
    """Refuse anyone but an administrator, and an administrator outside their region."""
    if actor.user is not None and actor.role != Role.ADMIN:
        raise PermissionDenied("只有系统管理员可以管理工作人员账号。")
    check_region(actor, region_code)


def _staff_after(user: Any) -> dict[str, Any]:
    staff = user.staff
    return {
        "username": user.username,
        "name": staff.name,
        "role": staff.role,
        "region": staff.region.code,
        "is_active": user.is_active,
    }


def create_staff(
    actor: Actor, *, username: str, name: str, role: str, region_code: str, phone: str = ""
) -> tuple[Any, str]:
    """新增工作人员: a login with its role, region and name; returns the user and the generated password
    (shown once on the page, never stored in clear or in the audit row)."""
    check_manager(actor, region_code)
    errors: dict[str, str] = {}
    username, name = username.strip(), name.strip()
    if not USERNAME.fullmatch(username):
        errors["username"] = "账号为 3–30 位字母、数字或 _ . -"
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = f"账号「{username}」已存在"
    if not name or len(name) > 50:
        errors["name"] = "请填写姓名（最多 50 字）"
    if role not in MANAGEABLE_ROLES:
        errors["role"] = "只能新增县级经办、乡镇、村、帮扶干部和审计账号（系统管理员由市级在后台设置）"
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        errors["region"] = f"没有区域代码 {region_code}"
    elif role in ROLE_LEVELS and region.level not in ROLE_LEVELS[Role(role)]:
        levels = "或".join(LEVEL_NAMES[level] for level in sorted(ROLE_LEVELS[Role(role)]))
        errors["region"] = f"「{Role(role).label}」的工作区域应为{levels}，得到 {region.name}"
    if errors:
        raise ValidationError(errors)
    password = new_password()
    with transaction.atomic():
        user = User.objects.create_user(username, password=password)
        StaffProfile.objects.create(user=user, role=role, region=region, name=name, phone=phone.strip())
        record_audit(
            actor, "core.create_staff", object_type="User", object_id=user.pk, region_code=region_code,
            after=_staff_after(user),
        )  # fmt: skip
    return user, password


def _managed(actor: Actor, user_pk: int) -> Any:
    user = User.objects.select_for_update().filter(pk=user_pk).first()  # the user row alone: no outer join
    staff = StaffProfile.objects.select_related("region").filter(user_id=user_pk).first()
    if user is None or staff is None:
        raise PermissionDenied("没有该工作人员账号。")
    user.staff = staff
    check_manager(actor, user.staff.region.code)
    return user


def reset_password(actor: Actor, user_pk: int, *, reason: str = "") -> str:
    """管理员重置密码: a new generated password (shown once); the old one stops working at once."""
    with transaction.atomic():
        user = _managed(actor, user_pk)
        password = new_password()
        user.set_password(password)
        user.save(update_fields=["password"])
        record_audit(
            actor, "core.reset_staff_password", object_type="User", object_id=user.pk,
            region_code=user.staff.region.code, after={"username": user.username}, reason=reason,
        )  # fmt: skip
    return password


def set_active(actor: Actor, user_pk: int, *, active: bool, reason: str) -> Any:
    """停用 / 启用 a login (never deleted: their audit rows keep naming them). A reason is required."""
    if not reason.strip():
        raise ValidationError({"reason": "请填写停用或启用的原因"})
    with transaction.atomic():
        user = _managed(actor, user_pk)
        if actor.user is not None and user.pk == actor.user.pk:
            raise ValidationError({"reason": "不能停用自己的账号"})
        before = _staff_after(user)
        user.is_active = active
        user.save(update_fields=["is_active"])
        record_audit(
            actor, "core.reactivate_staff" if active else "core.deactivate_staff", object_type="User",
            object_id=user.pk, region_code=user.staff.region.code, before={"is_active": before["is_active"]},
            after={"is_active": active}, reason=reason.strip(),
        )  # fmt: skip
    return user
