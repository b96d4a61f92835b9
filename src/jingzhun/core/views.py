"""Staff home page (工作台): the signed-in user's region at a glance."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jingzhun.core.actions import Actor
from jingzhun.registry.models import Household, Person, Region


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = Actor.for_user(request.user)
    staff = getattr(request.user, "staff", None)
    region = staff.region if staff else Region.objects.get(code="141100")
    households = Household.objects.filter(active=True, village__code__startswith=actor.scope)
    counts = {
        "households": households.count(),
        "persons": Person.objects.filter(
            status="active", household__active=True, household__village__code__startswith=actor.scope
        ).count(),
        "registered": households.filter(registered_year__isnull=False).count(),
    }
    return render(request, "jingzhun/home.html", {"region": region, "counts": counts})
