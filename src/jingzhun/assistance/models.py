"""Applications (救助申请), their approval steps, and the enrollments (在册救助对象) they create.

An application walks a fixed path — 受理 → 入户调查 → 民主评议 → 公示 → 乡镇审核 → 县级审批 — and every step
is a row of :class:`ApplicationStep` with what was found or decided (``data``). An approved application
creates an :class:`Enrollment`, which is what the ledger pays against (see ``policy/vocabulary.py``); every later
change to an enrollment (review, change of circumstances, suspension, end) appends an
:class:`EnrollmentDecision`. Money is integer fen (分).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from jingzhun.policy.vocabulary import FAMILIES

FAMILY_CHOICES = list(FAMILIES.items())


class ApplicationKind(models.TextChoices):
    NEW = "new", "新申请"
    REVIEW = "review", "复核"
    CHANGE = "change", "变更"
    TEMPORARY = "temporary", "临时救助"


class ApplicationStatus(models.TextChoices):
    """Where an application stands; each value is reached by exactly one action (see ``workflow.py``)."""

    SUBMITTED = "submitted", "已受理"
    SURVEYED = "surveyed", "已入户调查"
    REVIEWED = "reviewed", "已民主评议"
    IN_NOTICE = "in_notice", "公示中"
    NOTICED = "noticed", "公示结束"
    TOWNSHIP_APPROVED = "township_approved", "乡镇审核通过"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"


CLOSED_STATUSES = frozenset({ApplicationStatus.APPROVED, ApplicationStatus.REJECTED})


class Channel(models.TextChoices):
    VILLAGE = "village", "村级代办"
    WINDOW = "window", "县级窗口"
    TOWNSHIP = "township", "乡镇先行救助"


class TemporaryKind(models.TextChoices):
    EMERGENCY = "emergency", "急难型"
    EXPENSE = "expense", "支出型"


class Application(models.Model):
    """救助申请: one household asking for one family of assistance (or a review / change of it)."""

    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="applications", verbose_name="户"
    )
    family = models.CharField("救助类别", max_length=32, choices=FAMILY_CHOICES)
    kind = models.CharField("申请类型", max_length=16, choices=ApplicationKind.choices, default=ApplicationKind.NEW)
    status = models.CharField(
        "办理状态", max_length=24, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    created_via = models.CharField("受理渠道", max_length=16, choices=Channel.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="受理人",
    )
    created_by_label = models.CharField("受理人标识", max_length=150)
    created_at = models.DateTimeField("受理时间", auto_now_add=True)
    submitted_on = models.DateField("申请日期")
    statement = models.TextField("申请理由", blank=True)
    # 临时救助 only
    temporary_kind = models.CharField("临时救助类型", max_length=16, choices=TemporaryKind.choices, blank=True)
    amount_due_fen = models.BigIntegerField("申请救助金额（分）", null=True, blank=True)
    event_date = models.DateField("事由发生日期", null=True, blank=True)
    amount_approved_fen = models.BigIntegerField("核定救助金额（分）", null=True, blank=True)
    # 先行救助: paid on the township's word, reviewed afterwards
    paid_first = models.BooleanField("先行救助", default=False)
    after_review_due = models.DateField("补办审核期限", null=True, blank=True)
    after_reviewed_at = models.DateTimeField("补办审核时间", null=True, blank=True)
    after_review_confirmed = models.BooleanField("补办审核确认", null=True, blank=True)
    # outcome
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    start_month = models.DateField("享受起始月份", null=True, blank=True)
    reason = models.TextField("理由", blank=True)

    class Meta:
        verbose_name = "救助申请"
        verbose_name_plural = "救助申请"
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "family"], name="application_status_family")]

    def __str__(self) -> str:
        return f"{self.household} {self.get_family_display()} {self.get_status_display()}"


class StepName(models.TextChoices):
    CREATED = "created", "受理"
    SURVEY = "survey", "入户调查"
    DEMOCRATIC_REVIEW = "democratic_review", "民主评议"
    NOTICE_START = "notice_start", "公示开始"
    OBJECTION = "objection", "公示异议"
    OBJECTION_RESOLVED = "objection_resolved", "异议处理"
    NOTICE_FINISH = "notice_finish", "公示结束"
    TOWNSHIP_REVIEW = "township_review", "乡镇审核"
    COUNTY_DECISION = "county_decision", "县级审批"
    PAID_FIRST = "paid_first", "先行救助"
    AFTER_REVIEW = "after_review", "补办审核"


class ApplicationStep(models.Model):
    """办理记录: one step of an application, who took it and what it found (``data``). Appended only."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="steps", verbose_name="申请")
    step = models.CharField("环节", max_length=24, choices=StepName.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="经办人",
    )
    actor_label = models.CharField("经办人标识", max_length=150)
    at = models.DateTimeField("时间", auto_now_add=True)
    data = models.JSONField("记录内容", default=dict, blank=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["application", "id"]


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", "在册"
    SUSPENDED = "suspended", "暂停"
    ENDED = "ended", "已退出"


class EnrollmentSource(models.TextChoices):
    APPLICATION = "application", "申请审批"
    INITIAL_ROLL = "initial_roll", "存量迁入"


class Enrollment(models.Model):
    """在册救助对象: a household approved for one family from ``start_month`` (a first of month).

    Paid in a month when start_month ≤ month ≤ end_month (open end when null), not suspended from that
    month on, and — for an exited household kept on under 脱贫不脱政策 — month ≤ ``transition_until``.
    """

    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="enrollments", verbose_name="户"
    )
    family = models.CharField("救助类别", max_length=32, choices=FAMILY_CHOICES)
    status = models.CharField("状态", max_length=16, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ACTIVE)
    start_month = models.DateField("起始月份")
    end_month = models.DateField("终止月份", null=True, blank=True)
    suspended_from = models.DateField("暂停起始月份", null=True, blank=True)
    source = models.CharField("来源", max_length=16, choices=EnrollmentSource.choices)
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="enrollments", verbose_name="申请"
    )
    transition_until = models.DateField("脱贫过渡期至", null=True, blank=True)
    next_review_due = models.DateField("下次复核日期")
    last_decided_at = models.DateTimeField("最近决定时间")
    # The registry income the last decision saw (every person, every year): a different sum now means
    # income was added or corrected since, and the enrollment is due for review (IncomeRecord has no timestamp).
    basis_income_fen = models.BigIntegerField("决定时登记收入合计（分）", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "在册救助对象"
        verbose_name_plural = "在册救助对象"
        ordering = ["household", "family", "-start_month"]
        constraints = [
            # One open enrollment per household and family: re-approval or 存量迁入 never doubles a payment.
            models.UniqueConstraint(
                fields=["household", "family"],
                condition=Q(status__in=["active", "suspended"]),
                name="enrollment_one_open_per_family",
            ),
        ]
        indexes = [models.Index(fields=["family", "status", "start_month"], name="enrollment_family_status")]

    def __str__(self) -> str:
        return f"{self.household} {self.get_family_display()} {self.get_status_display()}"


class DecisionKind(models.TextChoices):
    APPROVE = "approve", "批准纳入"
    INITIAL_ROLL = "initial_roll", "存量迁入"
    CONTINUE = "continue", "继续享受"
    CHANGE = "change", "调整待遇"
    END = "end", "停止享受"
    SUSPEND = "suspend", "暂停"
    RESUME = "resume", "恢复"
    TRANSITION = "transition", "脱贫不脱政策"


class EnrollmentDecision(models.Model):
    """待遇决定: what changed for an enrollment, the entitlement it was based on, who decided and when."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="decisions", verbose_name="在册救助对象"
    )
    kind = models.CharField("决定", max_length=16, choices=DecisionKind.choices)
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions", verbose_name="申请"
    )
    month = models.DateField("生效月份")
    monthly_fen = models.BigIntegerField("月待遇合计（分）", default=0)
    entitlement = models.JSONField("待遇核算", default=dict, blank=True)
    reason = models.TextField("理由", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="决定人",
    )
    actor_label = models.CharField("决定人标识", max_length=150)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "待遇决定"
        verbose_name_plural = "待遇决定"
        ordering = ["enrollment", "id"]


from jingzhun.assistance.filial_models import SupportPayment, SupportRelation  # noqa: E402,F401  (孝亲敬老)
