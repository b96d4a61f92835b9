"""Models of the monitoring part `exit` (精准退出, POLICY.md §8).

A village's 预退出 list for a year (:class:`ExitList`) goes through the steps together: 民主评议 →
核实 (each household signs, :class:`ExitEntry`) → 村公示 ≥ 7 days → 乡镇核实 → 县公告 → 销号. Each
step is a dated, audited record (:class:`ExitStep`, appended, never edited) by the role it belongs to.
County exit (三率一度) reads :class:`SampleCheck` (抽样核查: sampled households, a finding each) and
:class:`SurveyCount` (群众认可度 survey).
"""

from __future__ import annotations

from django.db import models

from jingzhun.core import nodelete

__all__ = [
    "ExitEntry",
    "ExitList",
    "ExitStage",
    "ExitStep",
    "SampleCheck",
    "SampleFinding",
    "SampleOutcome",
    "SurveyCount",
]


class ExitStage(models.TextChoices):
    PROPOSED = "proposed", "预退出"
    REVIEWED = "reviewed", "民主评议"
    VERIFIED = "verified", "入户核实"
    PUBLICIZED = "publicized", "村公示"
    TOWNSHIP_VERIFIED = "township_verified", "乡镇核实"
    ANNOUNCED = "announced", "县公告"
    CLOSED = "closed", "已销号"


class ExitList(nodelete.NeverDeleted):
    """预退出名单: one per village and year; its ``stage`` is the last step recorded."""

    NO_DELETE = "退出名单不能删除：各步骤记录会保留。"

    village = models.ForeignKey(
        "registry.Region", on_delete=models.PROTECT, related_name="exit_lists", verbose_name="村"
    )
    year = models.PositiveSmallIntegerField("退出年度")
    stage = models.CharField("环节", max_length=20, choices=ExitStage.choices, default=ExitStage.PROPOSED)
    proposed_on = models.DateField("提出日期")
    review_date = models.DateField("民主评议日期", null=True, blank=True)
    review_note = models.TextField("评议情况", blank=True)
    verified_on = models.DateField("入户核实日期", null=True, blank=True)
    publicity_start = models.DateField("公示开始", null=True, blank=True)
    publicity_end = models.DateField("公示结束", null=True, blank=True)
    township_verified_on = models.DateField("乡镇核实日期", null=True, blank=True)
    announced_on = models.DateField("县公告日期", null=True, blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "预退出名单"
        verbose_name_plural = "预退出名单"
        ordering = ["-year", "village__code"]
        constraints = [models.UniqueConstraint(fields=["village", "year"], name="exit_list_one_per_village_year")]

    def __str__(self) -> str:
        return f"{self.village.name} {self.year} 年预退出名单（{self.get_stage_display()}）"


class ExitEntry(nodelete.NeverDeleted):
    """One household on a list: its 核实 signature, or why it was taken off (民主评议 disagreed)."""

    NO_DELETE = "退出名单中的户不能删除：不退出请登记移出原因，记录会保留。"

    exit_list = models.ForeignKey(ExitList, on_delete=models.PROTECT, related_name="entries", verbose_name="名单")
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="exit_entries", verbose_name="户"
    )
    signed_on = models.DateField("户签字确认日期", null=True, blank=True)
    signed_by = models.CharField("签字人", max_length=64, blank=True)
    removed = models.BooleanField("已移出名单", default=False)
    removed_reason = models.CharField("移出原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "预退出户"
        verbose_name_plural = "预退出户"
        ordering = ["exit_list", "household__household_no"]
        constraints = [models.UniqueConstraint(fields=["exit_list", "household"], name="exit_entry_once_per_list")]


class ExitStep(nodelete.NeverDeleted):
    """A step recorded on a list (who, when, as which role): appended, never edited."""

    NO_DELETE = "退出步骤记录不能删除。"

    exit_list = models.ForeignKey(ExitList, on_delete=models.PROTECT, related_name="steps", verbose_name="名单")
    stage = models.CharField("环节", max_length=20, choices=ExitStage.choices)
    date = models.DateField("日期")
    note = models.TextField("说明", blank=True)
    actor_label = models.CharField("操作人", max_length=150)
    actor_role = models.CharField("角色", max_length=32)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "退出步骤"
        verbose_name_plural = "退出步骤"
        ordering = ["exit_list", "id"]


class SampleCheck(nodelete.NeverDeleted):
    """抽样核查 of a county for a year (第三方评估 or the county's own), entered by county staff."""

    NO_DELETE = "抽样核查记录不能删除。"

    county = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    year = models.PositiveSmallIntegerField("年度")
    date = models.DateField("核查日期")
    note = models.CharField("说明", max_length=200, blank=True)
    actor_label = models.CharField("录入人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "抽样核查"
        verbose_name_plural = "抽样核查"
        ordering = ["-year", "-date", "-id"]


class SampleOutcome(models.TextChoices):
    CORRECT = "correct", "准确"
    WRONGLY_EXITED = "wrongly_exited", "错退"
    WRONGLY_MISSED = "wrongly_missed", "漏评"


class SampleFinding(nodelete.NeverDeleted):
    """One sampled household and what the check found."""

    NO_DELETE = "抽样核查记录不能删除。"

    sample = models.ForeignKey(SampleCheck, on_delete=models.PROTECT, related_name="findings", verbose_name="核查")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+", verbose_name="户")
    exited_sample = models.BooleanField("抽自已退出户", default=True)  # the 错退 denominator; else 漏评's
    outcome = models.CharField("结论", max_length=16, choices=SampleOutcome.choices)

    class Meta:
        verbose_name = "抽样核查户"
        verbose_name_plural = "抽样核查户"
        constraints = [models.UniqueConstraint(fields=["sample", "household"], name="sample_household_once")]


class SurveyCount(nodelete.NeverDeleted):
    """群众认可度 survey of a county for a year: how many asked, how many approve."""

    NO_DELETE = "认可度调查记录不能删除。"

    county = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    year = models.PositiveSmallIntegerField("年度")
    date = models.DateField("调查日期")
    asked = models.PositiveIntegerField("调查人数")
    approving = models.PositiveIntegerField("认可人数")
    actor_label = models.CharField("录入人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "群众认可度调查"
        verbose_name_plural = "群众认可度调查"
        ordering = ["-year", "-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approving__lte=models.F("asked")), name="survey_approving_le_asked"
            )
        ]
