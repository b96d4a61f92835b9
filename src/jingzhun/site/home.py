"""Staff home page (工作台): this month's figures for the user's region and their to-dos.

Counts are taken from ``registry.queries.households_for(actor)`` — the same households the user's list
and the API show — so a 帮扶 cadre sees their own assigned households, not the whole village.

* 在册救助对象: households with an open, active enrollment (any family) and their persons in the register.
* A region's figures come from the dashboard's per-village counts and ledger summary (``dashboard/counts.py``,
  kept by its audited job off the request path, ``dashboard/tasks.py``: the page only queues a refresh when
  they are stale and says when they were built, 统计截至); a 帮扶 cadre's few households are read directly.
* 本月发放: the latest month up to the working month with ledger lines in the user's households (本月 as the
  ledger knows it; a county pays a month in one run) against the month before, net of adjustments and reversals.
* 办理中申请: applications not yet approved or refused; 待复核: enrollments due for review today.
* 我的待办: every provider registered in ``core.todos`` (救助办理, 信息变更, 帮扶; monitoring adds its own).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jingzhun.assistance.models import Enrollment
from jingzhun.assistance.queries import due_for_review
from jingzhun.assistance.todos import open_applications
from jingzhun.core import todos, workday
from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.dashboard import tasks as counts_tasks
from jingzhun.dashboard.models import LedgerMonthVillage, VillageCounts
from jingzhun.dashboard.summary import ALL
from jingzhun.ledger.models import PaymentLine
from jingzhun.registry.models import Person, Region, RegionLevel
from jingzhun.registry.queries import households_for


def _previous(month: dt.date) -> dt.date:
    return (month - dt.timedelta(days=1)).replace(day=1)


def month_figures(actor: Actor, today: dt.date, due_reviews: int | None = None) -> dict[str, object]:
    """This month's figures; ``due_reviews`` when the caller already counted them (the 待复核 to-do)."""
    # 本月 is at most the working month: lines already booked for later months (住院 settled to the year's end)
    # would show a future month as 本月
    upto = today.replace(day=1)
    if actor.role == Role.ASSIGNED_CADRE:  # their own few households: straight from the register and ledger
        register, paid, month = _own_households(actor, upto)
    else:  # a region: from the dashboard's village counts and ledger summary (kept by counts.refresh)
        register, paid, month = _region_counts(actor, upto)
    this = paid.get(month, (0, 0)) if month else (0, 0)
    last = paid.get(_previous(month), (0, 0)) if month else (0, 0)
    if due_reviews is None:
        due = due_for_review(today, actor.scope)
        if actor.role == Role.ASSIGNED_CADRE:
            due = due.filter(household__assigned_cadre=actor.user)
        due_reviews = due.count()
    return {
        **register,
        "month": month,
        "previous": _previous(month) if month else None,
        "paid_fen": this[0],
        "paid_households": this[1],
        "last_fen": last[0],
        "change_fen": this[0] - last[0],
        "open_applications": open_applications(actor),
        "due_reviews": due_reviews,
    }


Paid = dict[dt.date, tuple[int, int]]


def _own_households(actor: Actor, upto: dt.date) -> tuple[dict[str, int], Paid, dt.date | None]:
    households = households_for(actor).filter(active=True)
    enrolled = Enrollment.objects.filter(status="active", household__in=households)
    register = {
        "households": households.count(),
        "persons": Person.objects.filter(status="active", household__in=households).count(),
        "registered": households.filter(registered_year__isnull=False).count(),
        "enrolled_households": enrolled.aggregate(n=Count("household", distinct=True))["n"] or 0,
        "enrolled_persons": Person.objects.filter(
            status="active", household__in=enrolled.values("household_id").distinct()
        ).count(),
    }
    paid: Paid = {}
    lines = PaymentLine.objects.filter(household__in=households)
    month = lines.filter(month__lte=upto).aggregate(m=Max("month"))["m"]
    if month is not None:
        for row in (
            lines.filter(month__in=[month, _previous(month)])
            .values("month")
            .annotate(fen=Sum("amount_fen"), h=Count("household", distinct=True))
            .order_by()
        ):
            paid[row["month"]] = (row["fen"] or 0, row["h"])
    return register, paid, month


def _region_counts(actor: Actor, upto: dt.date) -> tuple[dict[str, int], Paid, dt.date | None]:
    villages = list(
        Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=actor.scope).values_list("id", flat=True)
    )
    sums = VillageCounts.objects.filter(village_id__in=villages).aggregate(
        h=Sum("households"),
        p=Sum("persons"),
        r=Sum("households", filter=Q(registered=True)),
        eh=Sum("enrolled_households"),
        ep=Sum("enrolled_persons"),
    )
    names = {
        "h": "households",
        "p": "persons",
        "r": "registered",
        "eh": "enrolled_households",
        "ep": "enrolled_persons",
    }
    register = {names[k]: int(v or 0) for k, v in sums.items()}
    rows = LedgerMonthVillage.objects.filter(village_id__in=villages, program=ALL)
    month = rows.filter(month__lte=upto).aggregate(m=Max("month"))["m"]
    paid: Paid = {}
    if month is not None:
        for row in (
            rows.filter(month__in=[month, _previous(month)])
            .values("month")
            .annotate(fen=Sum("amount_fen"), h=Sum("households"))
            .order_by()
        ):
            paid[row["month"]] = (row["fen"] or 0, row["h"] or 0)
    return register, paid, month


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = Actor.for_user(request.user)
    staff = getattr(request.user, "staff", None)
    region = staff.region if staff else Region.objects.get(code="141100")
    today = workday.today()  # the working month's day: 走访逾期, 待复核 and 公示 count from it
    updating = actor.role != Role.ASSIGNED_CADRE and counts_tasks.refresh_if_stale()
    mine = todos.todos_for(actor, today)
    due = next((t.count for t in mine if t.label == "待复核"), None)  # the same count: read once, not twice
    context = {
        "region": region,
        "counts": month_figures(actor, today, due),
        "todos": mine,
        "assigned_only": actor.role == Role.ASSIGNED_CADRE,
        "today": today,
        "as_of": counts_tasks.as_of(),
        "updating": updating,
    }
    return render(request, "jingzhun/home.html", context)
