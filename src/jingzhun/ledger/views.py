"""Staff pages of the ledger (thin: reads only, region-scoped through the actor)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jingzhun.core import list_export
from jingzhun.core.actions import Actor
from jingzhun.ledger.statements import build_statement
from jingzhun.policy.money import fen_to_grouped
from jingzhun.registry.queries import get_household_by_no_for


@login_required
def household_statement(request: HttpRequest, household_no: str) -> HttpResponse:
    """民生账本: every payment of one household by month, each with its reason.

    Scoped like the household page: a household outside the user's region, or (帮扶 cadre) not assigned to
    them, is missing — 404, the same answer as a 户编号 that does not exist."""
    actor = Actor.for_user(request.user)
    household = get_household_by_no_for(actor, household_no)
    statement = build_statement(household)
    if list_export.wants_xlsx(request.GET):
        from jingzhun.ledger.list_export import statement_lines

        return list_export.response(actor, statement_lines(actor, statement, household.village.code))
    months = [(month, entries, fen_to_grouped(total)) for month, entries, total in statement.by_month()]
    context = {
        "household": household,
        "statement": statement,
        "months": months,
        "total": fen_to_grouped(statement.total_fen),
    }
    return render(request, "ledger/household.html", context)
