"""一张图's precomputed figures: the ledger summed per month, village and program.

A derived table, not data: it is rebuilt from the append-only ledger (``ledger.PaymentLine``) for any month
whose lines changed (count or highest line id differ from the month's stamp), when a dashboard asks for
that month (``dashboard.summary.refresh``). Deleting it loses nothing. It is what lets a county page
sum 12 months of a 100 000-household county's lines without reading them (bench/bench_dashboard.py).
"""

from __future__ import annotations

from django.db import models


class LedgerMonthVillage(models.Model):
    month = models.DateField("发放月份")
    village = models.ForeignKey("registry.Region", on_delete=models.CASCADE, related_name="+", verbose_name="村")
    program = models.CharField("项目", max_length=32)
    households = models.PositiveIntegerField("户数")
    amount_fen = models.BigIntegerField("净额（分）")

    class Meta:
        verbose_name = "台账月度汇总（按村）"
        verbose_name_plural = "台账月度汇总（按村）"
        constraints = [
            models.UniqueConstraint(fields=["month", "village", "program"], name="ledger_month_village_unique")
        ]


class LedgerMonthStamp(models.Model):
    """What the month's summary was built from: the ledger's line count and highest line id then."""

    month = models.DateField("发放月份", unique=True)
    lines = models.PositiveIntegerField("台账行数")
    last_line_id = models.BigIntegerField("最大台账行号")
    refreshed_at = models.DateTimeField("汇总时间", auto_now=True)

    class Meta:
        verbose_name = "台账月度汇总标记"
        verbose_name_plural = "台账月度汇总标记"


# ---------------------------------------------------------------- the register, counted per village
# Derived tables like the two above (``dashboard/counts.py`` keeps them): what the dashboards and the
# 工作台 read instead of the register's 100 000 households. Rebuilt per village by the audited job
# ``counts.refresh`` when the audit trail shows a write in (or above) the village.


class VillageCounts(models.Model):
    """Households and persons in the register of one village with one status (``""`` = 非建档立卡)."""

    village = models.ForeignKey("registry.Region", on_delete=models.CASCADE, related_name="+", verbose_name="村")
    status = models.CharField("建档立卡状态", max_length=16, blank=True)
    registered = models.BooleanField("建档立卡户（有建档年份）")
    households = models.PositiveIntegerField("在册户数")
    persons = models.PositiveIntegerField("在册人数")
    enrolled_households = models.PositiveIntegerField("在册救助对象户数")
    enrolled_persons = models.PositiveIntegerField("在册救助对象人数")

    class Meta:
        verbose_name = "在册户数汇总（按村）"
        verbose_name_plural = "在册户数汇总（按村）"
        constraints = [
            models.UniqueConstraint(fields=["village", "status", "registered"], name="village_counts_unique")
        ]


class VillageCauseCounts(models.Model):
    """Registered households of a village by 致贫原因 (``__none__`` = 未填写; several causes count once each)."""

    village = models.ForeignKey("registry.Region", on_delete=models.CASCADE, related_name="+", verbose_name="村")
    cause = models.CharField("致贫原因", max_length=32)
    households = models.PositiveIntegerField("户数")

    class Meta:
        verbose_name = "致贫原因汇总（按村）"
        verbose_name_plural = "致贫原因汇总（按村）"
        constraints = [models.UniqueConstraint(fields=["village", "cause"], name="village_cause_unique")]


class VillageDayCounts(models.Model):
    """A village as of a day: households in open 低保/特困 enrollments that month, and registered households
    with a 帮扶记录 in the 90 days to that day. Filled when a page first asks for the day."""

    village = models.ForeignKey("registry.Region", on_delete=models.CASCADE, related_name="+", verbose_name="村")
    as_of = models.DateField("截至日期")
    dibao = models.PositiveIntegerField("低保户数")
    tekun = models.PositiveIntegerField("特困户数")
    visited = models.PositiveIntegerField("90 天内走访的建档立卡户")

    class Meta:
        verbose_name = "按日汇总（按村）"
        verbose_name_plural = "按日汇总（按村）"
        constraints = [models.UniqueConstraint(fields=["as_of", "village"], name="village_day_unique")]


class CountsStamp(models.Model):
    """What the village counts were last built from: the highest audit row and register ids then."""

    signature = models.JSONField("数据标记")
    refreshed_at = models.DateTimeField("汇总时间", auto_now=True)

    class Meta:
        verbose_name = "在册户数汇总标记"
        verbose_name_plural = "在册户数汇总标记"
