"""The payment ledger (民生账本): month runs, their frozen inputs, payment lines and bank statuses.

Every table here is append-only, enforced three ways: ``save()`` refuses to update, ``delete()`` and
queryset ``update()``/``delete()`` refuse, and database triggers (migration 0002, one version for
SQLite and one for PostgreSQL) raise on any UPDATE or DELETE. A correction is a new row: a reversal
line (冲正), an adjustment line (调整), a new status event. Money is integer fen (分), never float.

How a line is explained: ``run`` points at the month run whose :class:`RunSnapshot` froze the input
frames and parameters; ``explain_key`` is ``household_id/member_id`` as they stand in those frames, so
the policy engine's single path can recompute the line exactly as it was computed.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

from jingzhun.core.append_only import AppendOnly as _AppendOnly
from jingzhun.core.append_only import AppendOnlyError as AppendOnlyError  # re-exported: callers catch it here
from jingzhun.policy.vocabulary import BANK_STATUS_NAMES, PROGRAM_NAMES

PROGRAM_CHOICES = list(PROGRAM_NAMES.items())


class AppendOnly(_AppendOnly):
    """A ledger row: inserted once, never updated or deleted (``core.append_only``)."""

    append_only_what: ClassVar[str] = "台账"

    class Meta:
        abstract = True


class RunSnapshot(AppendOnly):
    """The inputs of one or more month runs, frozen: a zip of Parquet frames and JSON (see ``snapshot.py``).

    Keyed by the SHA-256 of its content, so a re-run over unchanged inputs shares the earlier snapshot.
    """

    sha256 = models.CharField("输入摘要 SHA-256", max_length=64, unique=True)
    data = models.BinaryField("冻结的输入（zip）")
    size = models.PositiveIntegerField("字节数")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "月度运行输入快照"
        verbose_name_plural = "月度运行输入快照"


class RunKind(models.TextChoices):
    REGULAR = "regular", "首次发放"
    ADJUSTMENT = "adjustment", "调整"
    NOOP = "noop", "无变化"


class MonthRun(AppendOnly):
    """One run of ``jingzhun run-month``: written, with its lines, in one transaction, or not at all.

    A killed or failed run leaves no row; a run in progress is marked by a lock (``locks.py``), not by a
    row. Totals are the month's net (all lines in scope, reversals included) after the run.
    """

    month = models.DateField("发放月份")
    region_prefix = models.CharField("区域范围（代码前缀）", max_length=12, blank=True)
    kind = models.CharField("类型", max_length=16, choices=RunKind.choices)
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("完成时间")
    actor_label = models.CharField("操作人", max_length=150)
    inputs_sha256 = models.CharField("输入摘要 SHA-256", max_length=64)
    snapshot = models.ForeignKey(RunSnapshot, on_delete=models.PROTECT, related_name="runs", verbose_name="输入快照")
    lines_added = models.PositiveIntegerField("新增台账行数")
    amount_added_fen = models.BigIntegerField("新增金额（分）")
    households = models.PositiveIntegerField("本月享受户数")
    total_fen = models.BigIntegerField("本月净额（分）")
    by_program = models.JSONField("分项目净额（分）", default=dict)
    changes = models.JSONField("变化摘要", default=dict)

    class Meta:
        verbose_name = "月度发放运行"
        verbose_name_plural = "月度发放运行"
        ordering = ["-id"]
        indexes = [models.Index(fields=["month", "region_prefix"], name="monthrun_month_scope")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.month:%Y-%m} {self.region_prefix or '全部'} {self.get_kind_display()}"


class LineKind(models.TextChoices):
    PAYMENT = "payment", "发放"
    ADJUSTMENT = "adjustment", "调整"
    REVERSAL = "reversal", "冲正"


class PaymentLine(AppendOnly):
    """One amount owed to a household (or one of its members) for one program and month.

    ``amount_fen`` is negative for a reversal and for a downward adjustment. A reversal negates exactly
    one earlier line (``reverses``, unique) and is never itself reversed.
    """

    run = models.ForeignKey(
        MonthRun, null=True, blank=True, on_delete=models.PROTECT, related_name="lines", verbose_name="月度运行"
    )
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="payment_lines", verbose_name="户"
    )
    person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment_lines",
        verbose_name="成员",
    )
    program = models.CharField("项目", max_length=32, choices=PROGRAM_CHOICES)
    month = models.DateField("发放月份")
    amount_fen = models.BigIntegerField("金额（分）")
    kind = models.CharField("类型", max_length=16, choices=LineKind.choices)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by", verbose_name="冲正对象"
    )
    reason = models.TextField("原因", blank=True)
    explain_key = models.CharField("说明引用（快照中的户/成员编号）", max_length=80, blank=True)
    persons = models.PositiveSmallIntegerField("保障人数", default=1)
    created_at = models.DateTimeField("记账时间", default=timezone.now)
    actor_label = models.CharField("操作人", max_length=150)

    class Meta:
        verbose_name = "发放台账行"
        verbose_name_plural = "发放台账"
        ordering = ["month", "household", "program", "id"]
        indexes = [
            models.Index(fields=["month", "household"], name="paymentline_month_household"),
            models.Index(fields=["household", "month"], name="paymentline_household_month"),
            # 发放明细 (lines.py) pages by (month desc, id): a page is read in index order and stops
            models.Index(fields=["-month", "id"], name="paymentline_month_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="reversal") & Q(reverses__isnull=False))
                | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="paymentline_reversal_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(kind="payment") | Q(amount_fen__gt=0), name="paymentline_payment_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.month:%Y-%m} {self.program} {self.amount_fen}"


class BankStatus(models.TextChoices):
    """发放状态, named by ``policy.vocabulary.BANK_STATUS_NAMES`` (the staff list, 民生账本 and 一码清 agree)."""

    PENDING = "pending", BANK_STATUS_NAMES["pending"]
    SENT = "sent", BANK_STATUS_NAMES["sent"]
    PAID = "paid", BANK_STATUS_NAMES["paid"]
    RETURNED = "returned", BANK_STATUS_NAMES["returned"]


class BankBatch(AppendOnly):
    """One bank file (代发报盘文件): which lines it carried is in the ``sent`` status events."""

    month = models.DateField("发放月份")
    run = models.ForeignKey(
        MonthRun, null=True, blank=True, on_delete=models.PROTECT, related_name="bank_batches", verbose_name="月度运行"
    )
    region_prefix = models.CharField("区域范围", max_length=12, blank=True)
    file_name = models.CharField("文件名", max_length=255)
    rows = models.PositiveIntegerField("笔数")
    total_fen = models.BigIntegerField("合计（分）")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    actor_label = models.CharField("操作人", max_length=150)

    class Meta:
        verbose_name = "银行报盘文件"
        verbose_name_plural = "银行报盘文件"
        ordering = ["-id"]


class PaymentStatusEvent(AppendOnly):
    """A line's bank status from now on. No event means pending (待发); the latest event wins.

    ``returned`` is followed by ``pending`` when the payment is re-queued for the next bank file.
    """

    line = models.ForeignKey(PaymentLine, on_delete=models.PROTECT, related_name="status_events", verbose_name="台账行")
    status = models.CharField("状态", max_length=16, choices=BankStatus.choices)
    batch = models.ForeignKey(
        BankBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="events", verbose_name="报盘文件"
    )
    reference = models.CharField("银行参考号", max_length=40, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    at = models.DateTimeField("时间", default=timezone.now)
    actor_label = models.CharField("操作人", max_length=150)

    class Meta:
        verbose_name = "银行状态"
        verbose_name_plural = "银行状态"
        ordering = ["line", "id"]
        indexes = [
            models.Index(fields=["line", "id"], name="paymentstatus_line_id"),
            models.Index(fields=["reference"], name="paymentstatus_reference"),
        ]


class LineTotal(models.Model):
    """发放明细's sums per village × program × month × 发放状态: the lines and their net fen (``line_totals.py``).

    Written only by database triggers, in the transaction of the write that changes a sum (a line, a status
    event, a household's move); not part of the ledger's record (a cache of it: ``line_totals.rebuild``)."""

    village = models.ForeignKey(
        "registry.Region", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name="村"
    )
    program = models.CharField("项目", max_length=32)
    month = models.DateField("发放月份")
    status = models.CharField("发放状态", max_length=16)
    lines = models.BigIntegerField("台账行数")
    amount_fen = models.BigIntegerField("净额（分）")

    class Meta:
        verbose_name = "发放明细合计"
        verbose_name_plural = "发放明细合计"
        constraints = [
            models.UniqueConstraint(fields=["month", "village", "program", "status"], name="linetotal_cell"),
        ]


class CpiMonth(AppendOnly):
    """One month's CPI rises (居民消费价格指数同比涨幅, percent) as entered by the county, for 价格临时补贴.

    Append-only like the ledger: entering a month again adds a row and the latest row of a month wins, so
    what a past run used stays on file (the run's snapshot holds the values too).
    """

    month = models.DateField("月份")
    all_items = models.DecimalField("居民消费价格指数同比涨幅（%）", max_digits=6, decimal_places=2)
    food = models.DecimalField("食品价格指数同比涨幅（%）", max_digits=6, decimal_places=2)
    source = models.CharField("数据来源", max_length=200)
    entered_at = models.DateTimeField("录入时间", default=timezone.now)
    actor_label = models.CharField("录入人", max_length=150)

    class Meta:
        verbose_name = "月度 CPI 涨幅"
        verbose_name_plural = "月度 CPI 涨幅"
        ordering = ["month", "id"]
        indexes = [models.Index(fields=["month", "id"], name="cpimonth_month_id")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} CPI {self.all_items}% 食品 {self.food}%"


class TemporaryAccount(AppendOnly):
    """Which ledger month pays an approved 临时救助 application — written by the run that first includes it.

    An application is paid in the month of its event when it was approved before that month ran; one
    approved later is paid once by the next run of any later month (补发, line month = that run's month).
    This row makes both stick: the event month's re-runs leave out an application accounted elsewhere, and
    the later month's re-runs keep it, so it is never paid twice and a re-run adds nothing.
    """

    application = models.OneToOneField(
        "assistance.Application", on_delete=models.PROTECT, related_name="ledger_account", verbose_name="临时救助申请"
    )
    month = models.DateField("计入发放月份")
    run = models.ForeignKey(
        MonthRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="月度运行"
    )
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "临时救助计入月份"
        verbose_name_plural = "临时救助计入月份"
        ordering = ["month", "id"]


APPEND_ONLY_TABLES = (
    RunSnapshot._meta.db_table,
    MonthRun._meta.db_table,
    PaymentLine._meta.db_table,
    BankBatch._meta.db_table,
    PaymentStatusEvent._meta.db_table,
    CpiMonth._meta.db_table,
    TemporaryAccount._meta.db_table,
)
