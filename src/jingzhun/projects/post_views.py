"""公益岗位 and 护林员 staff page (/projects/posts/): the posts in one's region with the month's attendance and
wage, a form to pay a month (township and county staff) and one to create a post (village staff up).

Reads are region-scoped; 帮扶 cadres are refused (their work is their own households); auditors read.
Every write goes through ``post_actions`` (which checks role and region again); bad input is shown in
Chinese, naming the field, and nothing is written.
"""

from __future__ import annotations

from typing import Any

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


def _post_in_scope(actor: Actor, pk: int) -> WelfarePost:
    post = WelfarePost.objects.select_related("village", "holder").filter(pk=pk).first()
    if post is None or not actor.can_see(post.village.code):
        raise Http404("没有这个岗位，或不在您的工作区域内。")
    return post


@login_required
@require_POST
def post_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """离岗: the date and reason (``post_actions.leave_post``)."""
    import datetime as dt

    actor = _actor(request)
    post = _post_in_scope(actor, pk)
    data = request.POST
    try:
        try:
            day = dt.date.fromisoformat(data.get("day", "").strip())
        except ValueError:
            raise ValidationError({"day": f"离岗日期应写成 YYYY-MM-DD，收到 {data.get('day', '')!r} [day]"}) from None
        pa.leave_post(actor, post, day=day, reason=data.get("reason", ""))
        messages.success(request, f"已登记 {post.holder.name} 于 {day} 离岗；工资发放到 {day:%Y-%m} 为止。")
    except ValidationError as exc:
        for m in _messages(exc):
            messages.error(request, m)
    return _back(data.get("month", ""))


@login_required
@require_POST
def post_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    """另聘: the same post for another eligible member (``post_actions.reassign_post``)."""
    actor = _actor(request)
    post = _post_in_scope(actor, pk)
    data = request.POST
    try:
        new = pa.reassign_post(
            actor,
            post,
            holder_id_number=data.get("holder", ""),
            start_month=pa.parse_month(data.get("start_month", ""), "start_month"),
        )
        messages.success(request, f"「{new.title}」已另聘 {new.holder.name}，{new.start_month:%Y-%m} 起上岗。")
    except ValidationError as exc:
        for m in _messages(exc):
            messages.error(request, m)
    return _back(data.get("month", ""))


def _points_household(request: HttpRequest, pk: int) -> tuple[Actor, Any]:
    from jingzhun.registry.queries import get_household_for

    actor = Actor.for_user(request.user)
    return actor, get_household_for(actor, pk)


@login_required
def points(request: HttpRequest, pk: int) -> HttpResponse:
    """A household's 爱心超市 monthly statement (printable) and, for village staff up, the forms to record
    points earned and goods taken."""
    from jingzhun.projects import points_actions as pts
    from jingzhun.projects.models import POINT_ACTIVITY_NAMES

    actor, household = _points_household(request, pk)
    month = request.GET.get("month", "") or f"{workday.today():%Y-%m}"
    try:
        pa.parse_month(month, "month")
        statement = pts.statement(household, month)
    except ValidationError:
        month = f"{workday.today():%Y-%m}"
        statement = pts.statement(household, month)
    lines = [
        {
            "day": entry.day,
            "what": entry.note if entry.activity else f"兑换：{entry.note}",
            "change": change,
            "balance": after,
        }
        for entry, change, after in statement.lines
    ]
    context = {
        "household": household,
        "head": household.persons.filter(relation="head").first(),
        "month": month,
        "s": statement,
        "lines": lines,
        "balance": pts.balance(household),
        "can_write": actor.role in pts.POINT_WRITERS and actor.can_see(household.village.code),
        "activities": list(POINT_ACTIVITY_NAMES.items()),
        "today": workday.today(),
    }
    return render(request, "projects/points.html", context)


@login_required
@require_POST
def points_add(request: HttpRequest, pk: int) -> HttpResponse:
    import datetime as dt

    from jingzhun.projects import points_actions as pts

    actor, household = _points_household(request, pk)
    data = request.POST
    try:
        try:
            day = dt.date.fromisoformat(data.get("day", "").strip())
        except ValueError:
            raise ValidationError({"day": f"日期应写成 YYYY-MM-DD，收到 {data.get('day', '')!r} [day]"}) from None
        if data.get("kind") == "redeem":
            raw = data.get("points", "").strip()
            if not raw.isdigit():
                raise ValidationError({"points": f"兑换积分应为大于 0 的整数，收到 {raw!r} [points]"})
            pts.redeem(actor, household, day=day, points=int(raw), goods=data.get("goods", ""))
            messages.success(request, f"已登记兑换 {raw} 分：{data.get('goods', '').strip()}。")
        else:
            entry = pts.earn(actor, household, day=day, activity=data.get("activity", ""), count=1)
            messages.success(request, f"已登记得分 {entry.points} 分。")
        month = f"{day:%Y-%m}"
    except (ValidationError, PermissionDenied) as exc:
        for m in _messages(exc):
            messages.error(request, m)
        month = ""
    url = reverse("projects:points", args=[household.pk])
    return HttpResponseRedirect(f"{url}?{urlencode({'month': month})}" if month else url)
