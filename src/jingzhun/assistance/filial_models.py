"""子女赡养费记录 (children's support payments) behind 孝亲敬老奖励 (POLICY.md §5 ``filial_reward``).

One row is one payment a child made to a registered household's elder (the parent, a member of the
household): who paid (name, relation, optional ID number), on which day, how much (integer fen) and for
which period. Rows are written only by ``filial_actions`` (one audit row each) and never deleted: a wrong
entry is 作废 (voided, with the reason) and no longer counts; the row stays for the record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SupportRelation(models.TextChoices):
    SON = "son", "儿子"
    DAUGHTER = "daughter", "女儿"
    SON_IN_LAW = "son_in_law", "女婿"
    DAUGHTER_IN_LAW = "daughter_in_law", "儿媳"
    GRANDCHILD = "grandchild", "孙子女/外孙子女"
    OTHER = "other", "其他赡养人"


class SupportPayment(models.Model):
    """子女赡养费: one payment by a child to a parent of a registered household."""

    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="support_payments", verbose_name="户"
    )
    parent = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="support_received", verbose_name="受赡养老人"
    )
    payer_name = models.CharField("赡养人姓名", max_length=64)
    payer_relation = models.CharField("与老人关系", max_length=16, choices=SupportRelation.choices)
    payer_id_number = models.CharField("赡养人身份证号", max_length=18, blank=True)
    paid_on = models.DateField("支付日期")
    amount_fen = models.BigIntegerField("金额（分）")
    period_from = models.DateField("赡养期间起")
    period_to = models.DateField("赡养期间止")
    assessment_year = models.PositiveSmallIntegerField("计入重阳节评定年度")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="录入人",
    )
    recorded_by_label = models.CharField("录入人标识", max_length=150)
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    voided_by_label = models.CharField("作废人标识", max_length=150, blank=True)
    void_reason = models.CharField("作废原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "子女赡养费记录"
        verbose_name_plural = "子女赡养费记录"
        ordering = ["household", "-paid_on", "-id"]
        indexes = [models.Index(fields=["assessment_year", "household"], name="support_year_household")]
        constraints = [models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="support_amount_positive")]

    def __str__(self) -> str:
        return f"{self.payer_name} → {self.parent_id} {self.paid_on} {self.amount_fen}"
