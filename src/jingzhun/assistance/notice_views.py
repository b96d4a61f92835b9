"""救助公示 pages: a village's 公示 batches and each batch's printable sheet (``notice_board``).

Region-scoped like every staff page (another region's village is a 404); a 帮扶 cadre, whose scope is
their households, has none. Read-only: auditors may print too.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from jingzhun.assistance import notice_board
from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.registry.models import Region, RegionLevel


def _village(actor: Actor, code: str) -> Region:
    village = Region.objects.filter(code=code, level=RegionLevel.VILLAGE).select_related("parent").first()
    if village is None or not actor.can_see(code) or actor.role == Role.ASSIGNED_CADRE:
        raise Http404("未找到该村")
    return village


@login_required
@require_safe
def village_notices(request: HttpRequest, code: str) -> HttpResponse:
    actor = Actor.for_user(request.user)
    village = _village(actor, code)
    return render(
        request,
        "assistance/notice_batches.html",
        {"village": village, "batches": notice_board.batches(village)},
    )


@login_required
@require_safe
def notice_sheet(request: HttpRequest, code: str, start: str) -> HttpResponse:
    actor = Actor.for_user(request.user)
    village = _village(actor, code)
    try:
        day = dt.date.fromisoformat(start)
    except ValueError:
        raise Http404("公示开始日期应为 YYYY-MM-DD") from None
    sheet = notice_board.sheet(village, day)
    if sheet is None:
        raise Http404(f"{village.name}没有 {day.isoformat()} 开始的公示")
    context = {
        "notice": sheet,
        "printed_at": timezone.localtime(),
        "back": reverse("assistance:village_notices", args=[village.code]),
    }
    return render(request, "jingzhun/notice_print.html", context)
