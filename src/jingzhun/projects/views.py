"""项目资金库 staff pages: the library in rank order per county and year (入库排序, 待匹配资金 and 按序匹配),
and a project's page (facts, allocations with fund and decider, 绩效考评 and its form).

Reads are region-scoped (a project outside one's region is a 404); every write goes through
``ranking_actions`` (which checks role and region again); a refusal or bad input is shown in Chinese and
nothing is written.
"""

from __future__ import annotations

import datetime as dt
from decimal import InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from jingzhun.core.actions import Actor
from jingzhun.policy import regions as region_names
from jingzhun.policy.money import fen_to_grouped, yuan_to_fen
from jingzhun.projects import ranking_actions as ra
from jingzhun.projects.models import Fund, FundSource, Project, Readiness

PAGE_LIMIT = 500  # a county's projects of one year (兴县 had a few hundred); more are cut with a note


def _messages(exc: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(exc, PermissionDenied):
        return [str(exc) or "无权办理。"]
    return [m for m in exc.messages]


def _county_year(request: HttpRequest, actor: Actor) -> tuple[str, int]:
    staff = getattr(actor.user, "staff", None)
    home = staff.region.code[:6] if staff is not None and len(staff.region.code) >= 6 else "141102"
    if home not in region_names.COUNTIES:  # a city-wide login (审计, 管理员): its first county with projects
        home = _first_county_with_projects(actor) or home
    county = request.GET.get("county") or request.POST.get("county") or home
    if county not in region_names.COUNTIES or not (county.startswith(actor.scope) or actor.scope.startswith(county)):
        raise Http404("不在您的工作区域内。")
    raw = request.GET.get("year") or request.POST.get("year") or ""
    year = int(raw) if raw.isdigit() and 2013 <= int(raw) <= 2100 else timezone.localdate().year
    if not raw:
        latest = Project.objects.filter(region__code__startswith=county).order_by("-year")
        year = latest.values_list("year", flat=True).first() or year
    return county, year


def _first_county_with_projects(actor: Actor) -> str:
    """The first county of the actor's region that has a project (else its first county; "" if none)."""
    counties = [c for c in region_names.COUNTIES if c.startswith(actor.scope)]
    codes = Project.objects.filter(region__code__startswith=actor.scope).values_list("region__code", flat=True)
    have = {code[:6] for code in codes.distinct()}
    return next((c for c in counties if c in have), counties[0] if counties else "")


def _counties_in_scope(actor: Actor) -> list[tuple[str, str]]:
    return [(c, region_names.NAMES[c]) for c in region_names.COUNTIES if c.startswith(actor.scope)]


@login_required
def library(request: HttpRequest) -> HttpResponse:
    actor = Actor.for_user(request.user)
    county, year = _county_year(request, actor)
    projects = (
        Project.objects.filter(region__code__startswith=actor.scope or county)
        .filter(region__code__startswith=county, year=year)
        .select_related("region")
        .annotate(allocated=Coalesce(Sum("allocations__amount_fen"), 0))
        .order_by(Coalesce("rank", 10**9), "code")
    )
    rows = list(projects[:PAGE_LIMIT])
    funds = (
        Fund.objects.filter(county__code=county, year=year)
        .annotate(spent=Coalesce(Sum("allocations__amount_fen"), 0), n=Count("allocations"))
        .order_by("code")
    )
    years = (
        Project.objects.filter(region__code__startswith=county)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    context = {
        "county": county,
        "county_name": region_names.NAMES[county],
        "counties": _counties_in_scope(actor),
        "year": year,
        "years": list(years),
        "rows": rows,
        "cut": projects.count() > PAGE_LIMIT,
        "unranked": any(p.rank is None for p in rows),
        "funds": list(funds),
        "sources": FundSource.choices,
        "can_rank": actor.role in ra.COUNTY_ROLES and county.startswith(actor.scope),
    }
    return render(request, "projects/library.html", context)


def _back(county: str, year: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse('projects:library')}?{urlencode({'county': county, 'year': year})}")


@login_required
@require_POST
def rank(request: HttpRequest) -> HttpResponse:
    actor = Actor.for_user(request.user)
    county, year = _county_year(request, actor)
    try:
        ranked = ra.rank_projects(actor, county, year)
        messages.success(request, f"已完成入库排序：{region_names.NAMES[county]}{year} 年 {len(ranked)} 个项目。")
    except (ValidationError, PermissionDenied) as exc:
        for m in _messages(exc):
            messages.error(request, m)
    return _back(county, year)


@login_required
@require_POST
def fund_new(request: HttpRequest) -> HttpResponse:
    actor = Actor.for_user(request.user)
    county, year = _county_year(request, actor)
    try:
        amount = yuan_to_fen(request.POST.get("amount", "").strip())
    except (ValueError, InvalidOperation):
        messages.error(request, "金额须为元，最多两位小数 [amount]")
        return _back(county, year)
    try:
        fund = ra.create_fund(
            actor,
            code=request.POST.get("code", "").strip(),
            source=request.POST.get("source", ""),
            county_code=county,
            year=year,
            amount_fen=amount,
            note=request.POST.get("note", "").strip()[:200],
        )
        messages.success(request, f"已登记资金 {fund.code}。")
    except (ValidationError, PermissionDenied) as exc:
        for m in _messages(exc):
            messages.error(request, m)
    return _back(county, year)


@login_required
@require_POST
def fund_match(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    fund = Fund.objects.select_related("county").filter(pk=pk).first()
    if fund is None or not (fund.county.code.startswith(actor.scope) or actor.scope.startswith(fund.county.code)):
        raise Http404("没有这笔资金。")
    try:
        result = ra.match_fund(actor, fund)
        messages.success(
            request,
            f"{fund.code} 按序匹配 {len(result.allocations)} 个项目，结余 {fen_to_grouped(result.unspent_fen)} 元。",
        )
    except (ValidationError, PermissionDenied) as exc:
        for m in _messages(exc):
            messages.error(request, m)
    return _back(fund.county.code, fund.year)


def _project(actor: Actor, code: str) -> Project:
    project = Project.objects.select_related("region").filter(code=code).first()
    if project is None or not actor.can_see(project.region.code):
        raise Http404("没有这个项目，或不在您的工作区域内。")
    return project


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    actor = Actor.for_user(request.user)
    project = _project(actor, code)
    allocations = project.allocations.select_related("fund").order_by("id")
    context = {
        "p": project,
        "allocations": allocations,
        "allocated": allocations.aggregate(s=Coalesce(Sum("amount_fen"), 0))["s"],
        "records": project.performance.order_by("-evaluated_on", "-id"),
        "can_evaluate": actor.role in ra.EVALUATOR_ROLES,
        "readiness": dict(Readiness.choices).get(project.readiness, ""),
        "rows": range(1, 5),
        "today": timezone.localdate().isoformat(),
    }
    return render(request, "projects/detail.html", context)


def _indicators(post: Any) -> list[dict[str, Any]]:
    out = []
    for n in range(1, 5):
        name = post.get(f"name{n}", "").strip()
        if not name:
            continue
        out.append(
            {
                "name": name,
                "planned": post.get(f"planned{n}", "").strip(),
                "achieved": post.get(f"achieved{n}", "").strip(),
                "weight": post.get(f"weight{n}", "").strip() or "1",
                "lower_is_better": post.get(f"lower{n}") == "1",
            }
        )
    return out


def _int(text: str) -> int:
    return int(text) if text.strip().isdigit() else -1


@login_required
@require_POST
def performance_new(request: HttpRequest, code: str) -> HttpResponse:
    actor = Actor.for_user(request.user)
    project = _project(actor, code)
    post = request.POST
    url = reverse("projects:detail", args=[project.code])
    try:
        day = dt.date.fromisoformat(post.get("evaluated_on", ""))
        income = yuan_to_fen(post.get("income", "0").strip() or "0")
    except (ValueError, InvalidOperation):
        messages.error(request, "考评日期应为 YYYY-MM-DD，增收金额应为元（最多两位小数） [evaluated_on/income]")
        return HttpResponseRedirect(url)
    try:
        record = ra.record_performance(
            actor,
            project,
            indicators=_indicators(post),
            households=_int(post.get("households", "")),
            poor_households=_int(post.get("poor_households", "")),
            income_increase_fen=income,
            evaluated_on=day,
        )
        messages.success(request, f"已录入绩效考评：{record.grade}（{record.score} 分）。")
    except (ValidationError, PermissionDenied) as exc:
        for m in _messages(exc):
            messages.error(request, m)
    return HttpResponseRedirect(url)
