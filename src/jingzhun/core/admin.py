"""Back office for staff and the audit trail.

Who may do what is itself audited: a change of a staff member's role or region (工作人员), or of an
account's 超级用户 / 职员 / 有效 flags (用户), made in the admin writes an ``AuditEvent`` with the values
before and after, in the same transaction as the change. Audit rows are read-only here and, in the
database, can be neither changed nor deleted (core/triggers.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import User
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from jingzhun.core.actions import Actor, record_audit
from jingzhun.core.models import AuditEvent, BackgroundJob, StaffProfile

STAFF_FIELDS = ("role", "region_id")
USER_FIELDS = ("is_superuser", "is_staff", "is_active")


def _values(obj: Model | None, fields: tuple[str, ...]) -> dict[str, Any]:
    return {} if obj is None else {f: getattr(obj, f) for f in fields}


def _audit_change(
    request: HttpRequest,
    action: str,
    obj: Model,
    before: dict[str, Any],
    fields: tuple[str, ...],
    region_code: str = "",
) -> None:
    after = _values(obj, fields)
    if before == after:
        return
    record_audit(
        Actor.for_user(request.user),
        action,
        object_type=f"{obj._meta.app_label}.{obj._meta.object_name}",
        object_id=obj.pk,
        region_code=region_code,
        before=before or None,
        after=after,
        reason="后台管理修改",
    )


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "region", "phone")
    list_filter = ("role",)
    raw_id_fields = ("region",)

    def save_model(self, request: HttpRequest, obj: StaffProfile, form: Any, change: bool) -> None:
        old = StaffProfile.objects.filter(pk=obj.pk).first() if change else None
        before = _values(old, STAFF_FIELDS)
        super().save_model(request, obj, form, change)
        region = obj.region.code if obj.region_id else ""
        _audit_change(request, "core.admin_staff_role", obj, before, STAFF_FIELDS, region)

    def delete_model(self, request: HttpRequest, obj: StaffProfile) -> None:
        record_audit(
            Actor.for_user(request.user),
            "core.admin_staff_delete",
            object_type="core.StaffProfile",
            object_id=obj.pk,
            region_code=obj.region.code,
            before={**_values(obj, STAFF_FIELDS), "user": obj.user.get_username()},
            reason="后台管理删除",
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        old = User.objects.filter(pk=obj.pk).first() if change else None
        before = _values(old, USER_FIELDS)
        super().save_model(request, obj, form, change)
        _audit_change(request, "core.admin_user_flags", obj, before, USER_FIELDS)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at_beijing", "actor_label", "action", "object_type", "object_id", "region_code")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor_label")
    fields = ("at_beijing", "actor", "actor_label", "action", "object_type", "object_id", "region_code")
    fields += ("before", "after", "reason")
    readonly_fields = fields

    @admin.display(description="时间（北京时间）", ordering="at")
    def at_beijing(self, obj: AuditEvent) -> str:
        return timezone.localtime(obj.at).strftime("%Y-%m-%d %H:%M:%S")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    """Read-only: the jobs staff started (imports, month previews and runs) and how they ended."""

    list_display = ("id", "kind", "owner", "region_prefix", "status", "stage", "created_at", "finished_at")
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in BackgroundJob._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
