"""The shared half of every write: the actor, the region check and the audit row.

App ``actions.py`` modules call :func:`check_region` before touching a region's data and
:func:`record_audit` inside their transaction, so a write and its audit row commit together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from jingzhun.core.models import READ_ONLY_ROLES, AuditEvent, BackgroundJob, Role
from jingzhun.core.scope import region_prefix


@dataclass(frozen=True)
class Actor:
    """Who performs an action: a staff user, or the system (CLI, scheduled job) under a label."""

    label: str
    user: Any = None  # django User or None for the system
    role: str = Role.ADMIN
    scope: str = ""  # region code prefix the actor may touch; "" means everywhere

    @classmethod
    def system(cls, label: str = "system") -> Actor:
        return cls(label=label)

    @classmethod
    def for_user(cls, user: AbstractBaseUser | AnonymousUser) -> Actor:
        if not user.is_authenticated:
            raise PermissionDenied("请先登录。")
        if getattr(user, "is_superuser", False) and not hasattr(user, "staff"):
            return cls(label=user.get_username(), user=user)
        staff = getattr(user, "staff", None)
        if staff is None:
            raise PermissionDenied("该账号没有分配角色和工作区域，请联系管理员。")
        return cls(label=user.get_username(), user=user, role=staff.role, scope=region_prefix(staff.region.code))

    def can_see(self, region_code: str) -> bool:
        return region_code.startswith(self.scope)


def check_region(actor: Actor, region_code: str, *, write: bool = True) -> None:
    """Refuse (PermissionDenied, Chinese message) when the actor may not act in this region."""
    if not actor.can_see(region_code):
        raise PermissionDenied(f"无权操作该区域的数据（区域代码 {region_code}）。")
    if write and actor.role in READ_ONLY_ROLES:
        raise PermissionDenied("审计账号为只读，不能修改数据。")


def record_audit(
    actor: Actor,
    action: str,
    *,
    object_type: str,
    object_id: object = "",
    region_code: str = "",
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> AuditEvent:
    """Write the audit row. Call inside the action's transaction."""
    return AuditEvent.objects.create(
        actor=actor.user,
        actor_label=actor.label,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        region_code=region_code,
        before=before,
        after=after,
        reason=reason,
    )


def create_job(actor: Actor, kind: str, *, region_prefix: str, params: dict[str, Any]) -> BackgroundJob:
    """A background job asked for by a staff user (an import, a month preview or run), queued with its
    audit row in one transaction; ``core.jobs.start`` then hands it to the worker."""
    check_region(actor, region_prefix)
    with transaction.atomic():
        job = BackgroundJob.objects.create(kind=kind, owner=actor.user, region_prefix=region_prefix, params=params)
        record_audit(
            actor,
            "core.create_job",
            object_type="core.BackgroundJob",
            object_id=job.pk,
            region_code=region_prefix,
            after={"kind": kind, "params": {k: v for k, v in params.items() if k != "path"}},
        )
    return job
