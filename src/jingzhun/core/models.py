"""Audit trail and staff roles: who did what, where they may do it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


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
    # The person's name as 修改记录 and the audit search show it (not the login); blank for older logins,
    # which show the login name instead.
    name = models.CharField("姓名", max_length=50, blank=True)

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return f"{self.user.get_username()}（{self.get_role_display()}）"

    @property
    def display_name(self) -> str:
        return self.name or self.user.get_username()


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
        at = timezone.localtime(self.at) if self.at else None  # 北京时间 (settings.TIME_ZONE)
        return f"{at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"


# Background jobs the staff pages start and poll (registry imports and month runs). The work itself runs as
# a ``django.tasks`` task; this row is what the page reads — who started it, in which scope, how far it got,
# and the outcome — whichever process runs the task (core/jobs.py).


class JobKind(models.TextChoices):
    IMPORT = "import", "户籍导入"
    MONTH_PREVIEW = "month_preview", "月度发放试算"
    MONTH_RUN = "month_run", "月度发放"
    XCHECK_IMPORT = "xcheck_import", "比对名单导入"
    XCHECK_RUN = "xcheck_run", "数据比对"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class BackgroundJob(models.Model):
    kind = models.CharField("类型", max_length=16, choices=JobKind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="发起人"
    )
    region_prefix = models.CharField("区域范围（代码前缀）", max_length=12, blank=True)
    params = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField("当前步骤", max_length=100, blank=True)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总量", default=0)
    result = models.JSONField("结果", null=True, blank=True)
    task_id = models.CharField("任务编号", max_length=64, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # Written with every progress report: a running job whose worker died stops moving (jobs.sweep_stale).
    progress_at = models.DateTimeField("最近进展时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        db_table = "dashboard_backgroundjob"  # moved from the dissolved dashboard app; table kept
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
