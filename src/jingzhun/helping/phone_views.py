"""我的帮扶户 on a phone: the cadre's households, longest unvisited first, each with a call link and 记一笔走访.

A 帮扶 cadre sees the households assigned to them; any other staff member the ones assigned to their own
login (a village cadre who also helps families). One query: the last 走访慰问 date is an aggregate.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Max, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from jingzhun.core import workday
from jingzhun.helping.models import HelpKind
from jingzhun.registry.models import Household, Person, PersonStatus


@login_required
@require_safe
def my_households(request: HttpRequest) -> HttpResponse:
    head = Person.objects.filter(household=OuterRef("pk"), relation="head", status=PersonStatus.ACTIVE)
    visited = Q(help_records__kind=HelpKind.VISIT, help_records__voided_at__isnull=True)
    rows = (
        Household.objects.filter(assigned_cadre=request.user, active=True)
        .select_related("village")
        .annotate(head_name=Subquery(head.values("name")[:1]), last_visit=Max("help_records__date", filter=visited))
        .order_by("household_no")
    )
    today = workday.today()
    households = [(h, (today - h.last_visit).days if h.last_visit else None) for h in rows]
    households.sort(key=lambda pair: (pair[1] is not None, -(pair[1] or 0)))  # never visited, then the longest ago
    return render(request, "helping/mine.html", {"households": households, "today": today})
