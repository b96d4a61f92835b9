"""Background jobs the staff pages start and poll: registry imports and month runs.

The work itself runs as a ``django.tasks`` task (database backend); this row is what the page reads —
who started it, in which scope, how far it got, and the outcome — so a page can poll it with a small
``fetch()`` whichever process runs the task.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class JobKind(models.TextChoices):
    IMPORT = "import", "户籍导入"
    MONTH_PREVIEW = "month_preview", "月度发放试算"
    MONTH_RUN = "month_run", "月度发放"


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
