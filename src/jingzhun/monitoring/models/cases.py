"""Models of the 返贫预警 part (POLICY.md §8): monthly flags, cases and their steps, 帮扶措施, reported events.

* :class:`MonitoringRun` — one monthly assessment over the database (who, when, counts).
* :class:`RiskFlag` — a household's flags and level for one month (one row per household and month).
* :class:`Case` — what a flag opens: 识别 → 入户核实 → 民主评议 + 公示 ≥ 5 days → 乡镇审核 → county decision,
  due 15 days after the first flag; then 帮扶措施 and, when POLICY.md's conditions hold, 风险消除.
* :class:`CaseStep` — each step, dated and by whom (appended only; each also has an audit row).
* :class:`CaseMeasure` — 帮扶措施 (临时救助, 低保 application, job, insurance, other) with a link to the
  target record when there is one.
* :class:`ReportedEvent` — a risk event a cadre reports (农户自主申报, 干部排查): an input of the next run.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jingzhun.policy.monitoring_input import EVENT_KINDS

__all__ = [
    "Case",
    "CaseDecision",
    "CaseMeasure",
    "CaseOrigin",
    "CaseState",
    "CaseStep",
    "CaseStepName",
    "MeasureKind",
    "MonitoringRun",
    "ReportedEvent",
    "RiskFlag",
]

EVENT_KIND_ZH = {
    "severe_disability": "重度残疾",
    "labour_lost": "丧失劳动能力",
    "disaster": "自然灾害",
    "accident_death": "意外事故死亡",
    "dropout": "辍学",
    "work_interrupted": "务工中断",
    "sudden_hardship": "突发严重困难",
}
assert tuple(EVENT_KIND_ZH) == EVENT_KINDS


class MonitoringRun(models.Model):
    """One monthly assessment over the database (``jingzhun monitor run`` or the staff page's job)."""

    month = models.DateField("评估月份")
    region_prefix = models.CharField("区域", max_length=12, blank=True)
    actor_label = models.CharField("执行人", max_length=150)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    assessed = models.PositiveIntegerField("评估户数", default=0)
    flagged = models.PositiveIntegerField("预警户数", default=0)
    flags_new = models.PositiveIntegerField("新增预警", default=0)
    flags_updated = models.PositiveIntegerField("更新预警", default=0)
    flags_kept = models.PositiveIntegerField("已处理未改动", default=0)
    cases_opened = models.PositiveIntegerField("新开案件", default=0)

    class Meta:
        verbose_name = "返贫预警评估"
        verbose_name_plural = "返贫预警评估"
        ordering = ["-id"]


class RiskFlag(models.Model):
    """A household's 返贫预警 for month M: flags in POLICY.md §8's order and the level."""

    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="risk_flags", verbose_name="户"
    )
    month = models.DateField("评估月份")
    category = models.CharField("监测类别", max_length=16)
    flags = models.JSONField("预警项", default=list)
    level = models.CharField("预警等级", max_length=8)
    size = models.PositiveSmallIntegerField("家庭人口")
    income_12m_fen = models.BigIntegerField("近 12 个月收入（分）")
    labour_capacity = models.BooleanField("有劳动能力")
    checks = models.JSONField("三保障及饮水", default=dict)  # {check: bool}; a missing key is unknown
    raised_on = models.DateField("预警日期")
    run = models.ForeignKey(MonitoringRun, on_delete=models.PROTECT, related_name="risk_flags", verbose_name="评估")

    class Meta:
        verbose_name = "返贫预警"
        verbose_name_plural = "返贫预警"
        ordering = ["-month", "household_id"]
        constraints = [models.UniqueConstraint(fields=["household", "month"], name="risk_flag_one_per_month")]


class CaseOrigin(models.TextChoices):
    ASSESSMENT = "assessment", "月度评估预警"
    SELF_REPORT = "self_report", "农户自主申报"
    CADRE_CHECK = "cadre_check", "干部排查"


class CaseState(models.TextChoices):
    IDENTIFIED = "identified", "识别"
    VERIFIED = "verified", "已入户核实"
    IN_NOTICE = "in_notice", "民主评议并公示中"
    TOWNSHIP_APPROVED = "township_approved", "乡镇已审核"
    DECIDED = "decided", "县级已认定（帮扶中）"
    ELIMINATED = "eliminated", "风险已消除"
    CLOSED = "closed", "不纳入监测（已结案）"


OPEN_STATES = (
    CaseState.IDENTIFIED,
    CaseState.VERIFIED,
    CaseState.IN_NOTICE,
    CaseState.TOWNSHIP_APPROVED,
)
ACTIVE_STATES = (*OPEN_STATES, CaseState.DECIDED)  # the household is monitored (counts for the 5 % warning)


class CaseDecision(models.TextChoices):
    MONITORED = "monitored", "纳入监测对象"
    RETURNED = "returned", "认定返贫"
    NOT_INCLUDED = "not_included", "不纳入监测"


class Case(models.Model):
    """返贫预警案件: one per household at a time (a household with an active case gets no second one)."""

    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="monitoring_cases", verbose_name="户"
    )
    origin = models.CharField("来源", max_length=16, choices=CaseOrigin.choices)
    first_flag = models.ForeignKey(
        RiskFlag, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="首次预警"
    )
    flags = models.JSONField("预警项", default=list)
    level = models.CharField("预警等级", max_length=8, blank=True)
    first_flag_on = models.DateField("首次预警日期")
    due_on = models.DateField("办结期限")
    state = models.CharField("状态", max_length=24, choices=CaseState.choices, default=CaseState.IDENTIFIED)
    decision = models.CharField("县级认定", max_length=16, choices=CaseDecision.choices, blank=True)
    notice_start = models.DateField("公示开始", null=True, blank=True)
    decided_on = models.DateField("认定日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    opened_by_label = models.CharField("开案人", max_length=150)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "返贫预警案件"
        verbose_name_plural = "返贫预警案件"
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(state__in=[s.value for s in ACTIVE_STATES]),
                name="case_one_active_per_household",
            )
        ]

    def __str__(self) -> str:
        return f"返贫预警案件 {self.pk}（{self.get_state_display()}）"


class CaseStepName(models.TextChoices):
    IDENTIFY = "identify", "识别"
    VERIFY = "verify", "入户核实"
    REVIEW_NOTICE = "review_notice", "民主评议并公示"
    TOWNSHIP_REVIEW = "township_review", "乡镇审核"
    COUNTY_DECISION = "county_decision", "县级认定"
    MEASURE = "measure", "帮扶措施"
    ELIMINATE = "eliminate", "风险消除"


class CaseStep(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="steps", verbose_name="案件")
    step = models.CharField("环节", max_length=24, choices=CaseStepName.choices)
    on = models.DateField("日期")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="经办人",
    )
    actor_label = models.CharField("经办人标识", max_length=150)
    at = models.DateTimeField("登记时间", auto_now_add=True)
    note = models.TextField("情况说明", blank=True)
    data = models.JSONField("记录内容", default=dict, blank=True)

    class Meta:
        verbose_name = "案件办理记录"
        verbose_name_plural = "案件办理记录"
        ordering = ["case", "id"]


class MeasureKind(models.TextChoices):
    TEMPORARY_AID = "temporary_aid", "临时救助"
    DIBAO_APPLICATION = "dibao_application", "低保申请"
    JOB = "job", "就业帮扶（公益岗位/务工）"
    INSURANCE = "insurance", "保险理赔"
    OTHER = "other", "其他"


class CaseMeasure(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="measures", verbose_name="案件")
    kind = models.CharField("措施类型", max_length=24, choices=MeasureKind.choices)
    description = models.CharField("措施内容", max_length=200)
    amount_fen = models.BigIntegerField("金额（分）", null=True, blank=True)
    application_id = models.BigIntegerField("关联救助申请", null=True, blank=True)  # assistance.Application
    on = models.DateField("日期")
    actor_label = models.CharField("经办人标识", max_length=150)
    at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "帮扶措施"
        verbose_name_plural = "帮扶措施"
        ordering = ["case", "id"]


class ReportedEvent(models.Model):
    """A risk event reported by hand (农户自主申报 / 干部排查); the monthly run counts it in its window."""

    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="reported_risk_events", verbose_name="户"
    )
    kind = models.CharField("事件类型", max_length=24, choices=list(EVENT_KIND_ZH.items()))
    date = models.DateField("事件日期")
    origin = models.CharField("来源", max_length=16, choices=CaseOrigin.choices)
    note = models.TextField("情况说明", blank=True)
    actor_label = models.CharField("登记人", max_length=150)
    at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "风险事件（申报/排查）"
        verbose_name_plural = "风险事件（申报/排查）"
        ordering = ["-date", "id"]
