"""Staff home page (工作台): the signed-in user's households at a glance.

Every count is taken from ``registry.queries.households_for(actor)`` — the same households the user's
list and the API show — so a 帮扶 cadre sees their own assigned households, not the whole village.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.registry.models import Person, Region
from jingzhun.registry.queries import households_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = Actor.for_user(request.user)
    staff = getattr(request.user, "staff", None)
    region = staff.region if staff else Region.objects.get(code="141100")
    households = households_for(actor).filter(active=True)
    counts = {
        "households": households.count(),
        "persons": Person.objects.filter(status="active", household__in=households).count(),
        "registered": households.filter(registered_year__isnull=False).count(),
    }
    context = {"region": region, "counts": counts, "assigned_only": actor.role == Role.ASSIGNED_CADRE}
    return render(request, "jingzhun/home.html", context)
