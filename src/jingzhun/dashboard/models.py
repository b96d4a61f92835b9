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
