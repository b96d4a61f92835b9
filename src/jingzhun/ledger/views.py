"""Staff pages of the ledger (thin: reads only, region-scoped through the actor)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from jingzhun.core.actions import Actor, check_region
from jingzhun.ledger.statements import build_statement
from jingzhun.policy.money import fen_to_str
from jingzhun.registry.models import Household


@login_required
def household_statement(request: HttpRequest, household_no: str) -> HttpResponse:
    """民生账本: every payment of one household by month, each with its reason."""
    actor = Actor.for_user(request.user)
    household = get_object_or_404(Household.objects.select_related("village"), household_no=household_no)
    check_region(actor, household.village.code, write=False)
    statement = build_statement(household)
    months = [(month, entries, fen_to_str(total)) for month, entries, total in statement.by_month()]
    context = {
        "household": household,
        "statement": statement,
        "months": months,
        "total": fen_to_str(statement.total_fen),
    }
    return render(request, "ledger/household.html", context)
