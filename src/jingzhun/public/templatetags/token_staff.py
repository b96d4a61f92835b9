"""``{% token_section household request as qr %}``: what ``public/staff/_token_section.html`` shows and offers."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.registry.models import Household

register = template.Library()


@register.simple_tag
def token_section(household: Household, request: HttpRequest) -> dict[str, Any]:
    """The household's active token and URL, and whether this user may write or open the village page.

    The registry page has already checked that the user may read this household."""
    from jingzhun.public.staff_views import token_state

    try:
        actor: Actor | None = Actor.for_user(request.user)
    except PermissionDenied:
        actor = None
    state = token_state(actor, household)
    state["village_page"] = actor is not None and actor.role != Role.ASSIGNED_CADRE
    return state
