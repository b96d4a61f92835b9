"""Writes on 一码清 tokens: issue, revoke, reissue, and bulk-issue for a whole region.

Every function is one transaction with one audit row (``core.actions.record_audit``) after the
actor's check: the region (``check_region``: another region, or an auditor, is refused) and the role
(:data:`TOKEN_WRITER_ROLES`: a 帮扶 cadre reads their households' labels but does not revoke or reissue
them; labels are the village's and the township's to print). Audit rows name the token by its
database id, not its value: the value is a capability, and the audit trail is read by more people
than print labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.models import Role
from jingzhun.public.models import PublicToken, TokenLevel
from jingzhun.registry.models import Household, Region, RegionLevel
from jingzhun.registry.public_contact import PublicContact

Target = Region | Household
BATCH = 5_000
TOKEN_WRITER_ROLES = frozenset({Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER, Role.VILLAGE_CADRE, Role.ADMIN})


def may_write_tokens(actor: Actor, region_code: str) -> bool:
    """Whether the actor may issue, revoke or reissue tokens in this region (no exception)."""
    return actor.can_see(region_code) and actor.role in TOKEN_WRITER_ROLES


def check_token_writer(actor: Actor, region_code: str) -> None:
    """The region check, then the role: PermissionDenied with a Chinese message."""
    check_region(actor, region_code)
    if actor.role not in TOKEN_WRITER_ROLES:
        raise PermissionDenied("您的角色不能生成、作废或重新生成一码清二维码，请联系村干部或乡镇干部。")


def _describe(target: Target) -> tuple[str, str, dict[str, object]]:
    """(level, region code for the scope check, filter selecting the target's tokens)."""
    if isinstance(target, Household):
        return TokenLevel.HOUSEHOLD, target.village.code, {"household": target}
    if target.level not in (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE):
        raise ValueError(f"一码清只为乡镇、村和户生成二维码（{target.name} 是{target.get_level_display()}）。")
    return target.level, target.code, {"region": target}


def _target_label(target: Target) -> str:
    return target.household_no if isinstance(target, Household) else target.code


def active_token(target: Target) -> PublicToken | None:
    """The target's active token, if any (a read: no lock, no audit)."""
    _, _, lookup = _describe(target)
    return PublicToken.objects.filter(revoked_at__isnull=True, **lookup).first()


def _active(lookup: dict[str, object]) -> PublicToken | None:
    return PublicToken.objects.select_for_update().filter(revoked_at__isnull=True, **lookup).first()


def issue_token(actor: Actor, target: Target) -> PublicToken:
    """生成二维码令牌: the target's active token, or a new one when it has none (idempotent)."""
    level, code, lookup = _describe(target)
    check_token_writer(actor, code)
    with transaction.atomic():
        existing = _active(lookup)
        if existing is not None:
            return existing
        token = PublicToken.objects.create(level=level, **lookup)
        record_audit(
            actor,
            "public.issue_token",
            object_type="public.PublicToken",
            object_id=token.pk,
            region_code=code,
            after={"level": level, "target": _target_label(target)},
        )
    return token


def revoke_token(actor: Actor, token: PublicToken, *, reason: str = "") -> PublicToken:
    """作废令牌: the printed label stops working; its page answers 404 like an unknown token."""
    target = token.household if token.household_id else token.region
    _, code, _ = _describe(target)
    check_token_writer(actor, code)
    with transaction.atomic():
        token = PublicToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_audit(
            actor,
            "public.revoke_token",
            object_type="public.PublicToken",
            object_id=token.pk,
            region_code=code,
            before={"revoked_at": None},
            after={"revoked_at": token.revoked_at.isoformat()},
            reason=reason,
        )
    return token


def reissue_token(actor: Actor, target: Target, *, reason: str = "") -> PublicToken:
    """重新生成: revoke the active token (a lost or photographed label) and issue a new one."""
    level, code, lookup = _describe(target)
    check_token_writer(actor, code)
    with transaction.atomic():
        old = _active(lookup)
        now = timezone.now()
        if old is not None:
            old.revoked_at = now
            old.save(update_fields=["revoked_at"])
        new = PublicToken.objects.create(level=level, created_at=now, **lookup)
        if old is not None:
            old.replaced_by = new
            old.save(update_fields=["replaced_by"])
        record_audit(
            actor,
            "public.reissue_token",
            object_type="public.PublicToken",
            object_id=new.pk,
            region_code=code,
            before={"token_id": old.pk if old else None},
            after={"token_id": new.pk, "level": level, "target": _target_label(target)},
            reason=reason,
        )
    return new


def reissue_tokens(actor: Actor, targets: list[Target], *, reason: str = "") -> list[tuple[Target, PublicToken]]:
    """重新生成 several labels at once (a whole village): all or nothing, one audit row per token."""
    with transaction.atomic():
        return [(target, reissue_token(actor, target, reason=reason)) for target in targets]


@dataclass(frozen=True)
class EnsureResult:
    townships: int
    villages: int
    households: int

    @property
    def total(self) -> int:
        return self.townships + self.villages + self.households


def ensure_tokens(actor: Actor, region_prefix: str) -> EnsureResult:
    """批量生成: give every township, village and active household under ``region_prefix`` a token.

    Targets that already have an active token keep it. Two queries find the targets without one,
    ``bulk_create`` writes the new tokens in batches, and one audit row records the counts.
    """
    check_token_writer(actor, region_prefix)
    active = PublicToken.objects.filter(revoked_at__isnull=True)
    with transaction.atomic():
        regions = list(
            Region.objects.filter(code__startswith=region_prefix, level__in=[RegionLevel.TOWNSHIP, RegionLevel.VILLAGE])
            .exclude(Exists(active.filter(region=OuterRef("pk"))))
            .values_list("pk", "level")
        )
        households = list(
            Household.objects.filter(active=True, village__code__startswith=region_prefix)
            .exclude(Exists(active.filter(household=OuterRef("pk"))))
            .values_list("pk", flat=True)
        )
        now = timezone.now()
        rows = [PublicToken(level=level, region_id=pk, created_at=now) for pk, level in regions]
        rows += [PublicToken(level=TokenLevel.HOUSEHOLD, household_id=pk, created_at=now) for pk in households]
        PublicToken.objects.bulk_create(rows, batch_size=BATCH)
        townships = sum(1 for _, level in regions if level == RegionLevel.TOWNSHIP)
        result = EnsureResult(townships=townships, villages=len(regions) - townships, households=len(households))
        if result.total:
            record_audit(
                actor,
                "public.ensure_tokens",
                object_type="public.PublicToken",
                region_code=region_prefix,
                after={"townships": result.townships, "villages": result.villages, "households": result.households},
            )
    return result


CONTACT_WRITER_ROLES = frozenset({Role.COUNTY_OFFICER, Role.ADMIN})
_PHONE = re.compile(r"[0-9][0-9-]{2,19}")


def default_office(county: Region) -> str:
    return f"{county.name}民政局"


def may_set_contact(actor: Actor, county: Region) -> bool:
    return actor.can_see(county.code) and actor.role in CONTACT_WRITER_ROLES


def set_public_contact(actor: Actor, county: Region, *, office: str, phone: str) -> PublicContact:
    """设置发布单位与监督举报电话 of a county's 一码清 pages and door labels: one transaction, one audit row.

    Only a county officer or administrator whose region covers the county; the office is required (at
    most 60 characters), the phone digits and dashes (12345, 0358-8221234) or empty."""
    check_region(actor, county.code)
    if actor.role not in CONTACT_WRITER_ROLES:
        raise PermissionDenied("只有县级干部或系统管理员可以设置一码清的发布单位和监督举报电话。")
    if county.level != RegionLevel.COUNTY:
        raise ValueError(f"发布单位和监督举报电话按县设置（{county.name} 是{county.get_level_display()}）。")
    office, phone = office.strip(), phone.strip()
    if not office:
        raise ValueError("发布单位：请填写（例如“离石区民政局”）。未做任何修改。")
    if len(office) > 60 or "\x00" in office:
        raise ValueError("发布单位：不能超过 60 字，且不能含非法字符。未做任何修改。")
    if phone and not _PHONE.fullmatch(phone):
        raise ValueError(f"监督举报电话：“{phone[:30]}”不是电话号码（只能是数字和“-”，3–20 位）。未做任何修改。")
    with transaction.atomic():
        contact = PublicContact.objects.select_for_update().filter(county=county).first()
        before = {"office": contact.office, "phone": contact.phone} if contact else None
        if contact is None:
            contact = PublicContact(county=county)
        contact.office, contact.phone = office, phone
        contact.updated_at, contact.updated_by = timezone.now(), actor.label
        contact.save()
        record_audit(
            actor,
            "public.set_contact",
            object_type="registry.PublicContact",
            object_id=contact.pk,
            region_code=county.code,
            before=before,
            after={"office": office, "phone": phone},
        )
    return contact
