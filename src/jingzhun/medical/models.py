"""Hospitals, inpatient stays, their one-stop settlement records, and 慢性病门诊 (POLICY.md §7).

A :class:`Stay` is what the hospital reported at discharge; it is never edited (a wrong stay is a matter
for the hospital's own correction, recorded as a new stay number). A :class:`Settlement` is append-only:
the first settlement of a stay is ``kind=settlement``; when a late-recorded earlier stay of the same
person and year changes what a later stay gets, the later stay receives a new row ``kind=adjustment``
with the full new amounts (the stay's current settlement is its highest ``seq``) — the earlier row is
kept as it was. Each row keeps its lines' explanations and the parameter values used, as ledger lines do.
Money is integer fen.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone

from jingzhun.core.append_only import AppendOnly as _AppendOnly
from jingzhun.core.append_only import AppendOnlyError as AppendOnlyError  # re-exported: callers catch it here
from jingzhun.core.nodelete import NeverDeleted

LINE_FIELDS = ("basic", "serious", "supplementary", "assistance", "cap136")


class AppendOnly(_AppendOnly):
    """A settlement record: inserted once, never updated or deleted (``core.append_only``)."""

    append_only_what: ClassVar[str] = "结算记录"

    class Meta:
        abstract = True


class HospitalLevel(models.TextChoices):
    COUNTY = "county", "县级"
    CITY = "city", "市级"
    PROVINCE = "province", "省级"
    OUTSIDE = "outside", "省外"


class Hospital(NeverDeleted):
    name = models.CharField("医院名称", max_length=100, unique=True)
    level = models.CharField("医院级别", max_length=16, choices=HospitalLevel.choices)
    county = models.CharField("所在县（区）代码", max_length=6, blank=True, help_text="省外医院可不填")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "定点医院"
        verbose_name_plural = "定点医院"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_level_display()}）"


class StaySource(models.TextChoices):
    FORM = "form", "出院登记"
    IMPORT = "import", "医院结算导出"


class Stay(NeverDeleted):
    """One inpatient stay as recorded at discharge. ``diagnosis`` is staff-only (never on a public page)."""

    NO_DELETE: ClassVar[str] = "住院记录不能删除；如有错误请由医院更正后按新住院号登记。"

    stay_no = models.CharField("住院号", max_length=40, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="stays", verbose_name="患者")
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="stays", verbose_name="户"
    )
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="stays", verbose_name="医院")
    region = models.CharField("参保地县（区）代码", max_length=6)
    admitted = models.DateField("入院日期")
    discharged = models.DateField("出院日期")
    total_fen = models.BigIntegerField("总费用（分）")
    in_catalogue_fen = models.BigIntegerField("目录内费用（分）")
    registered_poor = models.BooleanField("建档立卡贫困人口")
    dibao_or_tekun = models.BooleanField("低保或特困对象")
    diagnosis = models.CharField("诊断（仅工作人员可见）", max_length=200, blank=True)
    source = models.CharField("来源", max_length=16, choices=StaySource.choices)
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)
    actor_label = models.CharField("登记人", max_length=150)

    class Meta:
        verbose_name = "住院记录"
        verbose_name_plural = "住院记录"
        ordering = ["-discharged", "stay_no"]
        indexes = [
            models.Index(fields=["person", "discharged"], name="stay_person_discharged"),
            models.Index(fields=["household", "discharged"], name="stay_household_discharged"),
            models.Index(fields=["discharged"], name="stay_discharged"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(total_fen__gt=0), name="stay_total_positive"),
            models.CheckConstraint(
                condition=models.Q(in_catalogue_fen__gte=0) & models.Q(in_catalogue_fen__lte=models.F("total_fen")),
                name="stay_in_catalogue_within_total",
            ),
            models.CheckConstraint(condition=models.Q(admitted__lte=models.F("discharged")), name="stay_dates_order"),
        ]

    def __str__(self) -> str:
        return self.stay_no


class SettlementKind(models.TextChoices):
    SETTLEMENT = "settlement", "结算"
    ADJUSTMENT = "adjustment", "调整"


class Settlement(AppendOnly):
    """One settlement of a stay (append-only); the stay's current one is its highest ``seq``."""

    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="settlements", verbose_name="住院")
    seq = models.PositiveSmallIntegerField("序号")
    kind = models.CharField("类型", max_length=16, choices=SettlementKind.choices)
    basic_fen = models.BigIntegerField("基本医保（分）")
    serious_fen = models.BigIntegerField("大病保险（分）")
    supplementary_fen = models.BigIntegerField("补充医保（分）")
    assistance_fen = models.BigIntegerField("医疗救助（分）")
    cap136_fen = models.BigIntegerField("“136”兜底（分）")
    oop_fen = models.BigIntegerField("个人自付（分）")
    ratio = models.CharField("实际报销比例", max_length=8)
    cap_period = models.CharField("“136”封顶期间", max_length=8, default="year")
    order = models.JSONField("结算顺序", default=list)
    explain = models.JSONField("说明", default=dict)  # {"lines": {line: sentence}, "text": sentence}
    parameters = models.JSONField("参数", default=list)  # [{"name", "value", "since", "source"}]
    reason = models.CharField("原因", max_length=300, blank=True)
    created_at = models.DateTimeField("结算时间", default=timezone.now)
    actor_label = models.CharField("操作人", max_length=150)

    class Meta:
        verbose_name = "结算记录"
        verbose_name_plural = "结算记录"
        ordering = ["stay", "seq"]
        constraints = [models.UniqueConstraint(fields=["stay", "seq"], name="settlement_stay_seq")]

    def amounts(self) -> dict[str, int]:
        return {line: int(getattr(self, f"{line}_fen")) for line in LINE_FIELDS}


class ChronicCertificate(NeverDeleted):
    """慢性病门诊 certification of a person (认定): from ``certified_on`` until ``ended_on`` (if any)."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="chronic_certificates", verbose_name="患者"
    )
    disease = models.CharField(
        "病种代码（仅工作人员可见）", max_length=16, help_text="省定 43 种或新增 75 种目录的代码"
    )
    certified_on = models.DateField("认定日期")
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)
    actor_label = models.CharField("登记人", max_length=150)

    class Meta:
        verbose_name = "慢性病门诊认定"
        verbose_name_plural = "慢性病门诊认定"
        ordering = ["person", "certified_on"]


class ChronicClaim(NeverDeleted):
    """One 慢性病门诊 claim: the in-catalogue outpatient cost and what 基本医保's chronic benefit paid."""

    certificate = models.ForeignKey(
        ChronicCertificate, on_delete=models.PROTECT, related_name="claims", verbose_name="认定"
    )
    claim_no = models.CharField("单据号", max_length=40, unique=True)
    date = models.DateField("就诊日期")
    in_catalogue_fen = models.BigIntegerField("目录内费用（分）")
    paid_fen = models.BigIntegerField("报销（分）")
    rate = models.CharField("报销比例", max_length=8)
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)
    actor_label = models.CharField("登记人", max_length=150)

    class Meta:
        verbose_name = "慢性病门诊报销"
        verbose_name_plural = "慢性病门诊报销"
        ordering = ["-date", "claim_no"]
