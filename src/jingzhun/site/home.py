"""Staff home page (工作台): this month's figures for the user's region and their to-dos.

Counts are taken from ``registry.queries.households_for(actor)`` — the same households the user's list
and the API show — so a 帮扶 cadre sees their own assigned households, not the whole village.

* 在册救助对象: households with an open, active enrollment (any family) and their persons in the register.
* 本月发放: the latest month with ledger lines in the user's households (本月 as the ledger knows it; a
  county pays a month in one run) against the month before, net of adjustments and reversals.
* 办理中申请: applications not yet approved or refused; 待复核: enrollments due for review today.
* 我的待办: every provider registered in ``core.todos`` (救助办理, 信息变更, 帮扶; monitoring adds its own).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jingzhun.assistance.models import Enrollment
from jingzhun.assistance.queries import due_for_review
from jingzhun.assistance.todos import open_applications
from jingzhun.core import todos, workday
from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.dashboard import summary
from jingzhun.dashboard.models import LedgerMonthVillage
from jingzhun.ledger.models import PaymentLine
from jingzhun.registry.models import Person, Region
from jingzhun.registry.queries import households_for


def _previous(month: dt.date) -> dt.date:
    return (month - dt.timedelta(days=1)).replace(day=1)


def month_figures(actor: Actor, today: dt.date) -> dict[str, object]:
    households = households_for(actor).filter(active=True)
    enrolled = Enrollment.objects.filter(status="active", household__in=households)
    enrolled_households = enrolled.aggregate(n=Count("household", distinct=True))["n"] or 0
    enrolled_persons = Person.objects.filter(
        status="active", household__in=enrolled.values("household_id").distinct()
    ).count()
    paid: dict[dt.date, tuple[int, int]] = {}
    if actor.role == Role.ASSIGNED_CADRE:  # their own few households: straight from the ledger
        lines = PaymentLine.objects.filter(household__in=households)
        month = lines.aggregate(m=Max("month"))["m"]
        if month is not None:
            for row in (
                lines.filter(month__in=[month, _previous(month)])
                .values("month")
                .annotate(fen=Sum("amount_fen"), h=Count("household", distinct=True))
                .order_by()
            ):
                paid[row["month"]] = (row["fen"] or 0, row["h"])
    else:  # a region: the month's sums from the dashboard's ledger summary, households counted once
        summary.refresh()
        rows = LedgerMonthVillage.objects.filter(village__code__startswith=actor.scope)
        month = rows.aggregate(m=Max("month"))["m"]
        if month is not None:
            sums = rows.filter(month__in=[month, _previous(month)]).values("month").annotate(fen=Sum("amount_fen"))
            paid = {r["month"]: (r["fen"] or 0, 0) for r in sums.order_by()}
            counted = PaymentLine.objects.filter(month=month, household__village__code__startswith=actor.scope)
            paid[month] = (paid.get(month, (0, 0))[0], counted.aggregate(h=Count("household", distinct=True))["h"])
    this = paid.get(month, (0, 0)) if month else (0, 0)
    last = paid.get(_previous(month), (0, 0)) if month else (0, 0)
    due = due_for_review(today, actor.scope)
    if actor.role == Role.ASSIGNED_CADRE:
        due = due.filter(household__assigned_cadre=actor.user)
    return {
        "households": households.count(),
        "persons": Person.objects.filter(status="active", household__in=households).count(),
        "registered": households.filter(registered_year__isnull=False).count(),
        "enrolled_households": enrolled_households,
        "enrolled_persons": enrolled_persons,
        "month": month,
        "previous": _previous(month) if month else None,
        "paid_fen": this[0],
        "paid_households": this[1],
        "last_fen": last[0],
        "change_fen": this[0] - last[0],
        "open_applications": open_applications(actor),
        "due_reviews": due.count(),
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = Actor.for_user(request.user)
    staff = getattr(request.user, "staff", None)
    region = staff.region if staff else Region.objects.get(code="141100")
    today = workday.today()  # the working month's day: 走访逾期, 待复核 and 公示 count from it
    context = {
        "region": region,
        "counts": month_figures(actor, today),
        "todos": todos.todos_for(actor, today),
        "assigned_only": actor.role == Role.ASSIGNED_CADRE,
        "today": today,
    }
    return render(request, "jingzhun/home.html", context)
