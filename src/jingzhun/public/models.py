"""一码清 public tokens: one random token per township, village and household, printed as a QR code.

The token is the only key to a public page, so it is random (``secrets``, 192 bits) and never
derived from a region code, a household number, an ID number or a sequence. A token is revoked,
never deleted or edited; a reissued token points back from the old row (``replaced_by``) so a
cadre can see which label a new one replaced. At most one active token per target (partial
unique constraints), so issuing twice cannot leave two live labels on one door.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone

TOKEN_BYTES = 24  # 192 bits of randomness → 32 URL-safe characters


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class TokenLevel(models.TextChoices):
    TOWNSHIP = "township", "乡镇"
    VILLAGE = "village", "村"
    HOUSEHOLD = "household", "户"


class PublicToken(models.Model):
    """一码: the public token of one township, village (``region``) or household (``household``)."""

    token = models.CharField("令牌", max_length=64, unique=True, default=new_token, editable=False)
    level = models.CharField("层级", max_length=16, choices=TokenLevel.choices)
    region = models.ForeignKey(
        "registry.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="public_tokens",
        verbose_name="乡镇/村",
    )
    household = models.ForeignKey(
        "registry.Household",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="public_tokens",
        verbose_name="户",
    )
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="替换为"
    )

    class Meta:
        verbose_name = "一码清令牌"
        verbose_name_plural = "一码清令牌"
        ordering = ["level", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(level="household", household__isnull=False, region__isnull=True))
                | (Q(level__in=["township", "village"], household__isnull=True, region__isnull=False)),
                name="public_token_target_matches_level",
            ),
            models.UniqueConstraint(
                fields=["region"], condition=Q(revoked_at__isnull=True), name="public_token_one_active_per_region"
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(revoked_at__isnull=True),
                name="public_token_one_active_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.token[:6]}…"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
