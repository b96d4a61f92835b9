"""Audit trail and staff roles: who did what, where they may do it."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    COUNTY_OFFICER = "county_officer", "县级（民政/扶贫办）"
    TOWNSHIP_OFFICER = "township_officer", "乡镇干部"
    VILLAGE_CADRE = "village_cadre", "村干部"
    ASSIGNED_CADRE = "assigned_cadre", "帮扶干部"
    AUDITOR = "auditor", "审计（只读）"
    ADMIN = "admin", "系统管理员"


READ_ONLY_ROLES = frozenset({Role.AUDITOR})


class StaffProfile(models.Model):
    """A staff member's role and the region they work in (their scope)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, verbose_name="工作区域")
    phone = models.CharField("联系电话", max_length=32, blank=True)

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return f"{self.user.get_username()}（{self.get_role_display()}）"


class AuditEvent(models.Model):
    """One row per write: who, when, what, before and after. Never updated, never deleted."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, verbose_name="操作人"
    )
    actor_label = models.CharField("操作人标识", max_length=150)
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    region_code = models.CharField("区域代码", max_length=12, blank=True, db_index=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    reason = models.TextField("原因", blank=True)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"
