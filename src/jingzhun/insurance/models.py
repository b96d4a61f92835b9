"""一保通 (交口县): covers, one policy per household per year with its covers and premiums, and claims.

* :class:`Cover` — the 19 covers as data (POLICY.md §6; rows made from ``policy.insurance.COVERS``): name,
  premium basis (per household or per unit), unit, who pays, whether a rule computes its claims.
* :class:`Policy` — one per household and year (every rural household of the county, not only the poor).
* :class:`CoverTerm` — the cover set of a county's policy year, stored once: each of the 19 covers with its
  premium (per household, or per insured unit) and sum insured in fen, as the dated parameters stood on
  1 January (county-paid premiums). Every policy of that county and year carries every household cover at
  these terms, so no row is written per policy for them.
* :class:`PolicyCover` — only the exceptions: a policy's unit covers (亩, 头, 只, 棒, 万元贷款) with the units
  insured from the year's 投保清单 and their premium (units × the term's premium). :meth:`Policy.cover_lines`
  puts the two together.
* :class:`Claim` — a claim with its evidence and decision. The four ruled covers' claims are computed
  (``computed=True``, their arithmetic in ``explanation``) and decided by the rule; the others are recorded
  with evidence and decided by staff. An approved claim's amount goes to the ledger as ``insurance_claim``
  (public name 保险赔付, no cause shown). ``key`` makes each computation idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from django.db import models
from django.utils import timezone

from jingzhun.core.nodelete import NeverDeleted


class Cover(models.Model):
    code = models.CharField("代码", max_length=32, unique=True)
    name = models.CharField("险种", max_length=64)
    basis = models.CharField("保费计算", max_length=16, choices=[("household", "按户"), ("unit", "按单位")])
    unit = models.CharField("单位", max_length=16)
    payer = models.CharField("保费承担", max_length=32)
    ruled = models.BooleanField("按规则计算赔付", default=False)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "险种"
        verbose_name_plural = "险种"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Policy(NeverDeleted):
    NO_DELETE: ClassVar[str] = "保单不能删除。"

    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="insurance_policies", verbose_name="户"
    )
    year = models.PositiveSmallIntegerField("保险年度")
    county = models.CharField("县（区）代码", max_length=6)
    created_at = models.DateTimeField("出单时间", default=timezone.now)
    actor_label = models.CharField("经办人", max_length=150)

    class Meta:
        verbose_name = "一保通保单"
        verbose_name_plural = "一保通保单"
        ordering = ["year", "household"]
        constraints = [models.UniqueConstraint(fields=["household", "year"], name="policy_household_year")]
        indexes = [models.Index(fields=["county", "year"], name="policy_county_year")]

    def cover_lines(self) -> list[CoverLine]:
        """Every cover of the policy: the year's household covers (``CoverTerm``) and its unit covers."""
        terms = CoverTerm.objects.filter(county=self.county, year=self.year).select_related("cover")
        lines = [
            CoverLine(t.cover, Decimal(1), t.premium_fen, t.sum_insured_fen)
            for t in terms
            if t.cover.basis == "household"
        ]
        lines += [
            CoverLine(c.cover, c.units, c.premium_fen, c.sum_insured_fen) for c in self.covers.select_related("cover")
        ]
        return sorted(lines, key=lambda line: line.cover.order)


@dataclass(frozen=True)
class CoverLine:
    cover: Cover
    units: Decimal
    premium_fen: int
    sum_insured_fen: int


class CoverTerm(models.Model):
    county = models.CharField("县（区）代码", max_length=6)
    year = models.PositiveSmallIntegerField("保险年度")
    cover = models.ForeignKey(Cover, on_delete=models.PROTECT, related_name="+", verbose_name="险种")
    premium_fen = models.BigIntegerField("保费（分，每户或每单位）")
    sum_insured_fen = models.BigIntegerField("每单位保险金额（分）")

    class Meta:
        verbose_name = "年度险种条款"
        verbose_name_plural = "年度险种条款"
        ordering = ["county", "year", "cover__order"]
        constraints = [models.UniqueConstraint(fields=["county", "year", "cover"], name="coverterm_county_year_cover")]


class PolicyCover(models.Model):
    """A policy's unit cover (the household covers are the year's ``CoverTerm`` rows, not repeated here)."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="covers", verbose_name="保单")
    cover = models.ForeignKey(Cover, on_delete=models.PROTECT, related_name="+", verbose_name="险种")
    units = models.DecimalField("投保数量", max_digits=12, decimal_places=2, default=1)
    premium_fen = models.BigIntegerField("保费（分）")
    sum_insured_fen = models.BigIntegerField("每单位保险金额（分）")

    class Meta:
        verbose_name = "保单险种"
        verbose_name_plural = "保单险种"
        constraints = [models.UniqueConstraint(fields=["policy", "cover"], name="policycover_policy_cover")]


class ClaimStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已赔付"
    REJECTED = "rejected", "不予赔付"


class Claim(NeverDeleted):
    NO_DELETE: ClassVar[str] = "理赔记录不能删除；不赔付请作“不予赔付”决定。"

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="claims", verbose_name="保单")
    cover = models.ForeignKey(Cover, on_delete=models.PROTECT, related_name="+", verbose_name="险种")
    key = models.CharField("计算键", max_length=120, unique=True)
    date = models.DateField("出险/核算日期")
    amount_fen = models.BigIntegerField("赔付金额（分）")
    evidence = models.TextField("证据材料", blank=True)
    explanation = models.TextField("计算说明", blank=True)
    computed = models.BooleanField("按规则计算", default=False)
    status = models.CharField("状态", max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.PENDING)
    decision_note = models.CharField("审核意见", max_length=300, blank=True)
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decided_by = models.CharField("审核人", max_length=150, blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    actor_label = models.CharField("登记人", max_length=150)

    class Meta:
        verbose_name = "理赔"
        verbose_name_plural = "理赔"
        ordering = ["-date", "id"]
        indexes = [models.Index(fields=["status", "date"], name="claim_status_date")]
        constraints = [models.CheckConstraint(condition=models.Q(amount_fen__gte=0), name="claim_amount_nonnegative")]
