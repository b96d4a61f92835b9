"""公益岗位 and 护林员 staff page (/projects/posts/): the posts in one's region with the month's attendance and
wage, a form to pay a month (township and county staff) and one to create a post (village staff up).

Reads are region-scoped; 帮扶 cadres are refused (their work is their own households); auditors read.
Every write goes through ``post_actions`` (which checks role and region again); bad input is shown in
Chinese, naming the field, and nothing is written.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from jingzhun.core import workday
from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.projects import post_actions as pa
from jingzhun.projects.models import PostFunding, PostKind, PostMonth, WelfarePost
from jingzhun.registry.models import Region, RegionLevel


def _actor(request: HttpRequest) -> Actor:
    actor = Actor.for_user(request.user)
    if actor.role == Role.ASSIGNED_CADRE:
        raise PermissionDenied("帮扶干部不办理公益岗位，请向村或乡镇经办人员查询。")
    return actor


def _messages(exc: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(exc, PermissionDenied):
        return [str(exc) or "无权办理。"]
    return list(exc.messages)


def _back(month: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse('projects:posts')}?{urlencode({'month': month})}")


@login_required
def posts(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    try:
        month = pa.parse_month(request.GET.get("month", ""), "month")
    except ValidationError:
        month = workday.this_month()
    rows = list(
        WelfarePost.objects.filter(village__code__startswith=actor.scope)
        .select_related("village", "holder")
        .order_by("village__code", "kind", "id")[:1000]
    )
    paid = {m.post_id: m for m in PostMonth.objects.filter(post__in=rows, month=month)}
    for post in rows:
        post.this_month = paid.get(post.pk)  # type: ignore[attr-defined]
    total = sum(m.wage_fen for m in paid.values())
    villages = Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=actor.scope).order_by("code")
    context = {
        "rows": rows,
        "month": f"{month:%Y-%m}",
        "total_fen": total,
        "paid_count": len(paid),
        "can_pay": actor.role in pa.PAYERS,
        "can_create": actor.role in pa.POST_WRITERS,
        "villages": villages[:2000],
        "kinds": PostKind.choices,
        "fundings": PostFunding.choices,
    }
    return render(request, "projects/posts.html", context)


@login_required
@require_POST
def post_new(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    data = request.POST
    month = data.get("month", "")
    try:
        kind = data.get("kind", "")
        wage = pa.yuan_to_fen(data.get("month_wage", ""), "month_wage") if kind == PostKind.WELFARE else None
        post = pa.create_post(
            actor,
            village_code=data.get("village", ""),
            kind=kind,
            title=data.get("title", ""),
            holder_id_number=data.get("holder", ""),
            start_month=pa.parse_month(data.get("start_month", ""), "start_month"),
            month_wage_fen=wage,
            funding=data.get("funding", PostFunding.SPECIAL),
        )
        messages.success(request, f"已登记{post.get_kind_display()}「{post.title}」：{post.holder.name}。")
    except (ValidationError, PermissionDenied) as exc:
        for m in _messages(exc):
            messages.error(request, m)
    return _back(month)


def _number(text: str, field: str) -> int:
    text = (text or "").strip()
    if not text.isdigit():
        raise ValidationError({field: f"天数应为 0 到 31 的整数，收到 {text!r} [{field}]"})
    return int(text)


@login_required
@require_POST
def post_pay(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    post = WelfarePost.objects.select_related("village").filter(pk=pk).first()
    if post is None or not actor.can_see(post.village.code):
        raise Http404("没有这个岗位，或不在您的工作区域内。")
    data = request.POST
    month = data.get("month", "")
    try:
        record = pa.pay_post_month(
            actor,
            post,
            month=pa.parse_month(month, "month"),
            days_worked=_number(data.get("days_worked", ""), "days_worked"),
            days_required=_number(data.get("days_required", ""), "days_required"),
        )
        messages.success(
            request, f"已核发 {post.holder.name} {month} 工资 {record.wage_fen / 100:.2f} 元，记入民生账本。"
        )
    except (ValidationError, PermissionDenied) as exc:
        for m in _messages(exc):
            messages.error(request, m)
    return _back(month)


@login_required
def pv(request: HttpRequest) -> HttpResponse:
    """光伏收益 by village: stations, yearly generation and revenue, the distribution plan by use and the
    wages paid from it (read-only; recorded through ``pv_actions``)."""
    from jingzhun.policy.projects_rules import PV_USES
    from jingzhun.projects import pv_actions
    from jingzhun.projects.models import PvStation

    actor = _actor(request)
    village_ids = (
        PvStation.objects.filter(village__code__startswith=actor.scope).values_list("village_id", flat=True).distinct()
    )
    villages = Region.objects.filter(pk__in=list(village_ids)).order_by("code")[:500]
    rows = []
    for village in villages:
        s = pv_actions.village_summary(village)
        rows.append({"s": s, "uses": [(name, s.planned_by_use.get(use, 0)) for use, name in PV_USES.items()]})
    context = {"rows": rows, "uses": list(PV_USES.values()), "use_names": PV_USES}
    return render(request, "projects/pv.html", context)
