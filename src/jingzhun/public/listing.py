"""What the `jingzhun qr` commands print: every active token in a scope as a public URL."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import OuterRef, Q, QuerySet, Subquery

from jingzhun.public.masking import mask_name
from jingzhun.public.models import PublicToken, TokenLevel
from jingzhun.registry.models import Household, Person, PersonStatus, Region, RegionLevel

LEVEL_ORDER = {TokenLevel.TOWNSHIP: 0, TokenLevel.VILLAGE: 1, TokenLevel.HOUSEHOLD: 2}


class UnknownVillage(LookupError):
    """The code names no village; the message is Chinese and meant for the user."""


def is_local(base: str) -> bool:
    """Whether the URL's host is this machine (loopback, localhost, 0.0.0.0): a phone cannot reach it."""
    host = (urlsplit(base if "//" in base else f"//{base}").hostname or "").lower()
    if host in ("", "localhost") or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def page_url(base: str, token: str) -> str:
    return f"{base.rstrip('/')}/q/{token}/"


def find_village(code: str) -> Region:
    village = Region.objects.filter(code=code, level=RegionLevel.VILLAGE).select_related("parent").first()
    if village is None:
        raise UnknownVillage(f"未找到该村（区域代码 {code}）：请给出 12 位村级区划代码 [village]。")
    return village


def public_links(region_prefix: str, base: str) -> list[dict[str, str]]:
    """[{"level", "code", "url"}] for the active tokens under a prefix: townships, villages, then
    households, each by code; one query."""
    rows = (
        PublicToken.objects.filter(revoked_at__isnull=True)
        .filter(
            Q(region__code__startswith=region_prefix)
            | Q(household__village__code__startswith=region_prefix, household__active=True)
        )
        .values_list("level", "region__code", "household__household_no", "token")
    )
    links = [
        {"level": level, "code": region_code or household_no, "url": page_url(base, token)}
        for level, region_code, household_no, token in rows
    ]
    links.sort(key=lambda link: (LEVEL_ORDER[link["level"]], link["code"]))
    return links


@dataclass(frozen=True)
class Label:
    household_no: str
    head: str  # masked
    township: str
    village: str
    url: str
    office: str = ""  # 发布单位: the county's as set (PublicContact), else "<县名>民政局"
    phone: str = ""  # 监督举报电话 of the county, "" when not set


def household_labels(households: QuerySet[Household], base: str) -> list[Label]:
    """One door label per household of the queryset that has an active token, by village then 户号; one
    query. The head is the active 户主, masked."""
    head = Person.objects.filter(household=OuterRef("pk"), relation="head", status=PersonStatus.ACTIVE)
    token = PublicToken.objects.filter(household=OuterRef("pk"), revoked_at__isnull=True)
    rows = (
        households.annotate(head_name=Subquery(head.values("name")[:1]), token=Subquery(token.values("token")[:1]))
        .filter(token__isnull=False)
        .order_by("village__code", "household_no")
        .values_list(
            "household_no",
            "head_name",
            "token",
            "village__name",
            "village__parent__name",
            "village__parent__parent__name",
            "village__parent__parent__public_contact__office",
            "village__parent__parent__public_contact__phone",
        )
    )
    return [
        Label(
            no,
            mask_name(name or ""),
            township or "",
            village,
            page_url(base, tok),
            office or (f"{county}民政局" if county else ""),
            phone or "",
        )
        for no, name, tok, village, township, county, office, phone in rows
    ]


def village_labels(village: Region, base: str) -> list[Label]:
    """One door label per active household of the village that has an active token (``jingzhun qr labels``;
    the staff village PDF asks :func:`household_labels` for the same households)."""
    return household_labels(Household.objects.filter(village=village, active=True), base)
