"""光伏收益 staff page (/projects/pv/): each village's stations, yearly revenue and distribution plan, and the
forms to add a station, record a year's generation and revenue, and enter a distribution plan (issue #17,
POLICY.md §9).

Everyone in the region reads (village staff and auditors too; 帮扶 cadres are refused as on the posts
page); township and county staff write, through ``pv_actions`` which checks role and region again. A
village, station or post outside the user's region is 404; a role that may not write is 403. Bad input
and the distribution checker's refusals (``check_pv_distribution``) are shown in Chinese beside the form,
with what was typed kept, and nothing is written.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jingzhun.core import workday
from jingzhun.core.actions import Actor
from jingzhun.policy.money import fen_to_grouped, yuan_to_fen
from jingzhun.policy.projects_rules import PV_USES
from jingzhun.projects import pv_actions
from jingzhun.projects.models import PostFunding, PvStation, WelfarePost
from jingzhun.projects.post_views import _actor
from jingzhun.registry.models import Region, RegionLevel

PLAN_LINES = 5  # blank lines offered on the plan form; more plans can be entered one after another


def _villages(actor: Actor) -> Any:
    return Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=actor.scope).order_by("code")


def _page(request: HttpRequest, actor: Actor, *, errors: dict[str, list[str]] | None = None, status: int = 200) -> Any:
    village_ids = (
        PvStation.objects.filter(village__code__startswith=actor.scope).values_list("village_id", flat=True).distinct()
    )
    rows = []
    for village in Region.objects.filter(pk__in=list(village_ids)).order_by("code")[:500]:
        s = pv_actions.village_summary(village)
        rows.append({"s": s, "uses": [(name, s.planned_by_use.get(use, 0)) for use, name in PV_USES.items()]})
    can_write = actor.role in pv_actions.PV_WRITERS
    posted: QueryDict | dict[str, str] = request.POST if request.method == "POST" else {}
    context = {
        "rows": rows,
        "uses": list(PV_USES.values()),
        "use_names": PV_USES,
        "use_choices": list(PV_USES.items()),
        "can_write": can_write,
        "errors": errors or {},
        "posted": posted,
        "plan_lines": [
            {k: posted.get(f"{k}_{n}", "") for k in ("use", "amount", "post", "payee", "condition", "note")}
            for n in range(1, PLAN_LINES + 1)
        ],
        "this_year": workday.today().year,
    }
    if can_write:
        context["villages"] = _villages(actor)[:2000]
        context["stations"] = PvStation.objects.filter(village__code__startswith=actor.scope).select_related("village")
        context["pv_posts"] = WelfarePost.objects.filter(
            village__code__startswith=actor.scope, funding=PostFunding.PV_REVENUE, end_month__isnull=True
        ).select_related("village", "holder")
    return render(request, "projects/pv.html", context, status=status)


@login_required
def pv(request: HttpRequest) -> HttpResponse:
    return _page(request, _actor(request))


def _writer(request: HttpRequest) -> Actor:
    actor = _actor(request)
    if actor.role not in pv_actions.PV_WRITERS:
        raise PermissionDenied("光伏电站、收益和分配方案由乡镇或县级经办人员登记。")
    return actor


def _village_code(actor: Actor, code: str) -> str:
    code = (code or "").strip()
    if not Region.objects.filter(code=code, level=RegionLevel.VILLAGE).exists() or not actor.can_see(code):
        raise Http404("没有这个村，或不在您的工作区域内。")
    return code


def _int(text: str, field: str, what: str) -> int:
    text = (text or "").strip()
    if not text.isdigit():
        raise ValidationError({field: f"{what}应为不小于 0 的整数，收到 {text!r} [{field}]"})
    return int(text)


def _fen(text: str, field: str, what: str) -> int:
    try:
        return yuan_to_fen(text or "")
    except ValueError as exc:
        raise ValidationError({field: f"{what}：{exc} [{field}]"}) from None


def _refused(request: HttpRequest, actor: Actor, form: str, exc: ValidationError) -> HttpResponse:
    return _page(request, actor, errors={form: list(exc.messages)}, status=400)


def _done(request: HttpRequest, text: str) -> HttpResponse:
    messages.success(request, text)
    return HttpResponseRedirect(reverse("projects:pv"))


@login_required
@require_POST
def station_new(request: HttpRequest) -> HttpResponse:
    actor = _writer(request)
    data = request.POST
    code = _village_code(actor, data.get("village", ""))
    try:
        try:
            capacity = Decimal((data.get("capacity_kw") or "").strip())
        except InvalidOperation:
            raise ValidationError({"capacity_kw": "装机容量应为大于 0 的千瓦数 [capacity_kw]"}) from None
        station = pv_actions.create_station(
            actor,
            village_code=code,
            name=data.get("name", ""),
            capacity_kw=capacity,
            built_year=_int(data.get("built_year", ""), "built_year", "建成年份"),
        )
    except ValidationError as exc:
        return _refused(request, actor, "station", exc)
    station.refresh_from_db()  # the capacity as stored (two decimals)
    return _done(request, f"已登记光伏电站「{station.name}」（{station.capacity_kw} 千瓦）。")


@login_required
@require_POST
def year_new(request: HttpRequest) -> HttpResponse:
    actor = _writer(request)
    data = request.POST
    raw = (data.get("station") or "").strip()
    station = PvStation.objects.select_related("village").filter(pk=int(raw) if raw.isdigit() else 0).first()
    if station is None or not actor.can_see(station.village.code):
        raise Http404("没有这个电站，或不在您的工作区域内。")
    try:
        record = pv_actions.record_year(
            actor,
            station,
            year=_int(data.get("year", ""), "year", "年度"),
            generation_kwh=_int(data.get("generation_kwh", ""), "generation_kwh", "发电量"),
            revenue_fen=_fen(data.get("revenue", ""), "revenue_fen", "收益（元）"),
        )
    except ValidationError as exc:
        return _refused(request, actor, "year", exc)
    return _done(request, f"已登记「{station.name}」{record.year} 年收益 {fen_to_grouped(record.revenue_fen)} 元。")


def _plan_lines(data: QueryDict) -> tuple[list[dict[str, Any]], list[str]]:
    """The filled lines of the plan form (a line with neither use nor amount is left out), numbered as on
    the form, and the problems of their amounts."""
    lines, problems = [], []
    for n in range(1, PLAN_LINES + 1):
        use, amount = (data.get(f"use_{n}") or "").strip(), (data.get(f"amount_{n}") or "").strip()
        if not use and not amount:
            continue
        try:
            fen: int | None = yuan_to_fen(amount)
        except ValueError as exc:
            problems.append(f"第{n}行 [amount_fen]：金额（元）{exc}")
            fen = None
        post = (data.get(f"post_{n}") or "").strip()
        lines.append(
            {
                "use": use,
                "amount_fen": fen,
                "post": int(post) if post.isdigit() else None,
                "payee": data.get(f"payee_{n}", ""),
                "condition": data.get(f"condition_{n}", ""),
                "note": data.get(f"note_{n}", ""),
            }
        )
    return lines, problems


@login_required
@require_POST
def plan_new(request: HttpRequest) -> HttpResponse:
    actor = _writer(request)
    data = request.POST
    code = _village_code(actor, data.get("village", ""))
    try:
        year = _int(data.get("year", ""), "year", "年度")
        if not 2013 <= year <= workday.today().year:
            raise ValidationError({"year": f"年度应在 2013 到 {workday.today().year} 之间 [year]"})
        lines, problems = _plan_lines(data)
        if problems:
            raise ValidationError({"__all__": problems})
        made = pv_actions.distribute(actor, village_code=code, year=year, lines=lines)
    except ValidationError as exc:
        return _refused(request, actor, "plan", exc)
    total = sum(d.amount_fen for d in made)
    return _done(request, f"已登记 {year} 年分配方案 {len(made)} 行，合计 {fen_to_grouped(total)} 元。")
