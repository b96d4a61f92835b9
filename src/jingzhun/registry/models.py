"""The household registry (建档立卡): regions, households, persons and their histories."""

from __future__ import annotations

from django.db import models


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县（区、市）"
    TOWNSHIP = "township", "乡镇"
    VILLAGE = "village", "村"


class Region(models.Model):
    """An administrative region: GB/T 2260 code for county and above, 12 digits for township and village."""

    code = models.CharField("区域代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="上级"
    )

    class Meta:
        verbose_name = "行政区域"
        verbose_name_plural = "行政区域"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"
