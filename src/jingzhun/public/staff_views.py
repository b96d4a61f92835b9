"""Staff pages for 一码清 labels: see a household's or a region's token, revoke, reissue, download labels.

The household's section sits on the registry's household page (``public/staff/_token_section.html``,
filled by ``{% token_section %}``); the township and village pages live under ``/qr/``.

Scope as everywhere in the staff app: a household is read through ``registry.queries.get_household_for``
(another region's, or for a 帮扶 cadre one not assigned to them, is a 404); a township or village outside
the user's region is a 404 too, and 帮扶 cadres have no region pages (they see their own households'
labels only). Writes are POSTs (CSRF) through :mod:`jingzhun.public.actions` — one transaction and one
audit row each, with the user's reason — and the role check there answers 403 for auditors and 帮扶
cadres. Labels are PDFs from :func:`jingzhun.public.labels.write_labels`, for households that already
have an active token (a GET never issues one; the village page offers a button for the missing ones).
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST, require_safe

from jingzhun.core import workday
from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.core.scope import region_prefix
from jingzhun.public import listing
from jingzhun.public.actions import (
    active_token,
    check_token_writer,
    default_office,
    ensure_tokens,
    issue_token,
    may_set_contact,
    may_write_tokens,
    reissue_token,
    revoke_token,
    set_public_contact,
)
from jingzhun.public.labels import FontMissing, write_labels
from jingzhun.public.listing import Label, household_labels, is_local, page_url
from jingzhun.public.models import PublicToken
from jingzhun.registry.models import Household, Region, RegionLevel
from jingzhun.registry.public_contact import PublicContact
from jingzhun.registry.queries import get_household_for

REASON_MAX = 200
OPS = ("issue", "revoke", "reissue")


def public_base() -> str:
    return str(getattr(settings, "PUBLIC_BASE_URL", "http://127.0.0.1:8000"))


def token_state(actor: Actor | None, target: Household | Region) -> dict[str, Any]:
    """What a token card (``public/staff/_token_card.html``) shows: the active token and its URL, the last
    revocation, who may write, and where its forms post."""
    code = target.village.code if isinstance(target, Household) else target.code
    token = active_token(target)
    last_revoked = None
    if token is None:
        lookup = {"household": target} if isinstance(target, Household) else {"region": target}
        last_revoked = PublicToken.objects.filter(revoked_at__isnull=False, **lookup).order_by("-revoked_at").first()
    base = public_base()
    if isinstance(target, Household):
        ops = {op: reverse("qrstaff:staff_household_op", args=[target.pk, op]) for op in OPS}
    else:
        ops = {op: reverse("qrstaff:staff_region_op", args=[target.code, op]) for op in OPS}
    return {
        "token": token,
        "ops": ops,  # op → the URL the card's form posts to
        "url": page_url(base, token.token) if token else "",
        "last_revoked": last_revoked,
        "base": base,
        "local": is_local(base),
        "can_write": actor is not None and may_write_tokens(actor, code),
    }


# ---- a household ---------------------------------------------------------------------------------


def _household_page(household: Household) -> HttpResponseRedirect:
    return redirect(reverse("registry:detail", args=[household.pk]) + "#qr")


def _reason(request: HttpRequest) -> str | None:
    """The POSTed reason, or None after putting a Chinese error in the messages."""
    reason = (request.POST.get("reason") or "").strip()
    if not reason:
        messages.error(request, "请填写原因（例如“门牌丢失”“门牌被拍照外传”），原因记入审计记录。未做任何修改。")
        return None
    if "\x00" in reason:  # PostgreSQL cannot store it (a 500 otherwise)
        messages.error(request, "原因中含有非法字符，请重新填写。未做任何修改。")
        return None
    if len(reason) > REASON_MAX:
        messages.error(request, f"原因不能超过 {REASON_MAX} 字。未做任何修改。")
        return None
    return reason


def _token_op(
    request: HttpRequest,
    actor: Actor,
    target: Household | Region,
    op: str,
    *,
    what: str,
    sign: str,
    then: str,
    closed: str,
) -> None:
    """生成 / 作废 / 重新生成 (``op`` in :data:`OPS`) the target's token; the outcome as a message.

    ``what`` names the target in the messages (户 …, 村 …), ``sign`` is what hangs on the wall (门牌, 二维码),
    ``then`` what to do after a new token. ``closed``: why the target may not get a new token (a closed
    household), "" when it may. Revoking needs only a reason, closed or not."""
    if op == "issue":
        if closed:
            messages.error(request, f"{closed}，不能生成二维码。")
        else:
            issue_token(actor, target)
            messages.success(request, f"已为{what}生成二维码，{then}。")
        return
    reason = _reason(request)
    if reason is None:
        return
    if op == "revoke":
        token = active_token(target)
        if token is None:
            messages.info(request, f"{what}当前没有有效的二维码，无需作废。")
        else:
            revoke_token(actor, token, reason=reason)
            messages.success(request, f"已作废{what}的二维码，旧{sign}已失效（扫码显示“页面不存在”）。")
    elif closed:
        messages.error(request, f"{closed}，不能重新生成二维码。")
    else:
        reissue_token(actor, target, reason=reason)
        messages.success(request, f"已重新生成{what}的二维码，旧{sign}已失效，{then}。")


@login_required
@require_POST
def household_op(request: HttpRequest, pk: int, op: str) -> HttpResponse:
    """生成 / 作废 / 重新生成 one household's token; back to the household page with a message."""
    if op not in OPS:
        raise Http404("未找到该页面")
    actor = Actor.for_user(request.user)
    household = get_household_for(actor, pk)  # 404 outside the scope: no probing
    check_token_writer(actor, household.village.code)  # 403: auditors, 帮扶 cadres
    what = f"户 {household.household_no} "  # a space between the 户号 and the Chinese that follows
    closed = "" if household.active else f"{what}已销户，公开页不再显示"
    _token_op(request, actor, household, op, what=what, sign="门牌", then="请下载新门牌（PDF）并张贴", closed=closed)
    return _household_page(household)


def _pdf(labels: list[Label], filename: str, title: str, *, none: str) -> HttpResponse | str:
    """The labels as a PDF download, or a Chinese message why there is none (``none``: no token yet)."""
    if not labels:
        return none
    out = io.BytesIO()
    try:
        write_labels(labels, out, title=title)
    except FontMissing as e:
        return str(e)
    response = HttpResponse(out.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"  # the QR codes are the pages' keys
    return response


@login_required
@require_safe
def household_label(request: HttpRequest, pk: int) -> HttpResponse:
    """下载门牌（PDF）: this household's one door label (A4, top-left cell)."""
    actor = Actor.for_user(request.user)
    household = get_household_for(actor, pk)
    if not household.active:
        messages.error(request, f"户 {household.household_no} 已销户，不再打印门牌。")
        return _household_page(household)
    date = workday.today().isoformat()
    response = _pdf(
        household_labels(Household.objects.filter(pk=household.pk), public_base()),
        f"门牌-{household.household_no}-{date}.pdf",
        f"户 {household.household_no} 一码清门牌",
        none=f"户 {household.household_no} 还没有有效的二维码，请先生成。",
    )
    if isinstance(response, str):
        messages.error(request, response)
        return _household_page(household)
    return response


# ---- a township or village ------------------------------------------------------------------------


def _region_for(actor: Actor, code: str) -> Region:
    """The township or village ``code`` if the actor may see it (not 帮扶 cadres); 404 otherwise."""
    if actor.role == Role.ASSIGNED_CADRE or not actor.can_see(code):
        raise Http404("未找到该区域")
    region = (
        Region.objects.filter(code=code, level__in=[RegionLevel.TOWNSHIP, RegionLevel.VILLAGE])
        .select_related("parent")
        .first()
    )
    if region is None:
        raise Http404("未找到该区域")
    return region


def _region_page(region: Region) -> HttpResponseRedirect:
    return redirect("qrstaff:staff_region", code=region.code)


def _household_counts(villages: QuerySet[Region]) -> dict[int, tuple[int, int]]:
    """village id → (active households, of which with an active token); one query."""
    token = PublicToken.objects.filter(household=OuterRef("pk"), revoked_at__isnull=True)
    rows = (
        Household.objects.filter(village__in=villages, active=True)
        .annotate(has_token=Exists(token))
        .values("village_id")
        .annotate(total=Count("pk"), with_token=Count("pk", filter=Q(has_token=True)))
    )
    return {row["village_id"]: (row["total"], row["with_token"]) for row in rows}


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """一码清二维码: the user's own township or village page, or the townships of their county or city."""
    actor = Actor.for_user(request.user)
    if actor.role == Role.ASSIGNED_CADRE:
        return render(request, "public/staff/index.html", {"townships": [], "assigned": True})
    staff = getattr(request.user, "staff", None)
    own: Region | None = staff.region if staff is not None else None
    if own is not None and own.level in (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE):
        return _region_page(own)
    townships = Region.objects.filter(level=RegionLevel.TOWNSHIP, code__startswith=actor.scope).select_related("parent")
    counties = Region.objects.filter(level=RegionLevel.COUNTY, code__startswith=actor.scope[:6])
    contacts = [
        (county, PublicContact.objects.filter(county=county).first(), default_office(county))
        for county in counties.order_by("code")
        if may_set_contact(actor, county)
    ]
    return render(
        request, "public/staff/index.html", {"townships": list(townships), "assigned": False, "contacts": contacts}
    )


@login_required
@require_POST
def set_contact(request: HttpRequest, code: str) -> HttpResponse:
    """设置发布单位与监督举报电话 of a county (its 一码清 pages and door labels)."""
    actor = Actor.for_user(request.user)
    county = Region.objects.filter(code=code, level=RegionLevel.COUNTY).first()
    if county is None or not actor.can_see(county.code):
        raise Http404
    try:
        set_public_contact(
            actor, county, office=request.POST.get("office") or "", phone=request.POST.get("phone") or ""
        )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已更新{county.name}一码清页面和门牌上的发布单位与监督举报电话。")
    return redirect(reverse("qrstaff:staff_index") + "#contact")


@login_required
@require_safe
def region_page(request: HttpRequest, code: str) -> HttpResponse:
    actor = Actor.for_user(request.user)
    region = _region_for(actor, code)
    context: dict[str, Any] = {"region": region, "qr": token_state(actor, region)}
    if region.level == RegionLevel.TOWNSHIP:
        villages = Region.objects.filter(parent=region, level=RegionLevel.VILLAGE).order_by("code")
        counts = _household_counts(villages)
        rows = [(v, *counts.get(v.pk, (0, 0))) for v in villages]
        context["villages"] = [(v, total, with_token, total - with_token) for v, total, with_token in rows]
        context["parent_link"] = None
    else:
        total, with_token = _household_counts(Region.objects.filter(pk=region.pk)).get(region.pk, (0, 0))
        context.update(households=total, with_token=with_token, missing=total - with_token)
        parent = region.parent
        context["parent_link"] = parent if parent is not None and actor.can_see(parent.code) else None
    return render(request, "public/staff/region.html", context)


@login_required
@require_POST
def region_op(request: HttpRequest, code: str, op: str) -> HttpResponse:
    """生成 / 作废 / 重新生成 the township's or village's own token, or 补齐 (ensure) every missing one."""
    if op not in (*OPS, "ensure"):
        raise Http404("未找到该页面")
    actor = Actor.for_user(request.user)
    region = _region_for(actor, code)
    check_token_writer(actor, region.code)
    what = f"{region.get_level_display()} {region.name}"
    if op == "ensure":
        result = ensure_tokens(actor, region_prefix(region.code))
        if result.total:
            messages.success(
                request,
                f"已为{what}补齐二维码：{result.villages} 个村、{result.households} 户（乡镇 {result.townships} 个）。",
            )
        else:
            messages.info(request, f"{what}的乡镇、村和在册户都已有有效的二维码。")
        return _region_page(region)
    # A township or village has no closed state: it may always get a new token.
    _token_op(request, actor, region, op, what=what, sign="二维码", then="请张贴新的二维码", closed="")
    return _region_page(region)


@login_required
@require_safe
def village_labels(request: HttpRequest, code: str) -> HttpResponse:
    """下载本村门牌（PDF）: every active household of the village that has an active token."""
    actor = Actor.for_user(request.user)
    region = _region_for(actor, code)
    if region.level != RegionLevel.VILLAGE:
        raise Http404("只能按村下载门牌")
    date = workday.today().isoformat()
    response = _pdf(
        listing.village_labels(region, public_base()),  # the labels `jingzhun qr labels` prints
        f"门牌-{region.name}-{region.code}-{date}.pdf",
        f"{region.name} 一码清门牌标签",
        none=f"村 {region.name} 还没有有二维码的在册户，请先补齐二维码。",
    )
    if isinstance(response, str):
        messages.error(request, response)
        return _region_page(region)
    return response
