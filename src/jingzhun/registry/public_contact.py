"""发布单位 and 监督举报电话 of a county's public notices: the 一码清 pages, door labels and printed 公示.

Kept in the registry (a fact about a region) so every app that prints for the public reads the same one.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class PublicContact(models.Model):
    """Who publishes a county's 一码清 pages and the 监督举报电话 they print: one row per county, set by the
    county's officer (``public.actions.set_public_contact``). A county without a row is published
    by "<县名>民政局" and shows no telephone."""

    county = models.OneToOneField(
        "registry.Region", on_delete=models.PROTECT, related_name="public_contact", verbose_name="县（区）"
    )
    office = models.CharField("发布单位", max_length=60)
    phone = models.CharField("监督举报电话", max_length=20, blank=True)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)
    updated_by = models.CharField("更新人", max_length=150, blank=True)

    class Meta:
        verbose_name = "一码清发布单位与监督电话"
        verbose_name_plural = "一码清发布单位与监督电话"

    def __str__(self) -> str:
        return f"{self.office} {self.phone}"


def contact_of(county_code: str) -> tuple[str, str]:
    """(发布单位, 监督举报电话) of the county whose six-digit code starts ``county_code``: the office as set,
    else "<县名>民政局", and the phone or ""; one query."""
    from jingzhun.registry.models import Region

    county = Region.objects.filter(code=county_code[:6]).select_related("public_contact").first()
    if county is None:
        return "", ""
    contact = getattr(county, "public_contact", None)
    if contact is None:
        return f"{county.name}民政局", ""
    return contact.office, contact.phone
