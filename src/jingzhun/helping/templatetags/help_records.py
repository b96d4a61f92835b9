"""``{% help_section household request as help %}``: what ``helping/_help_section.html`` shows and offers."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from jingzhun.core.actions import Actor
from jingzhun.helping.actions import may_write
from jingzhun.helping.list_queries import photos_of
from jingzhun.helping.queries import help_records_for
from jingzhun.registry.models import Household

register = template.Library()

SHOWN = 100  # newest records listed on the household page


@register.simple_tag
def help_section(household: Household, request: HttpRequest) -> dict[str, Any]:
    """The household's newest records, each with its 走访照片, and whether this user may add (open household)
    or void them."""
    try:
        actor: Actor | None = Actor.for_user(request.user)
    except PermissionDenied:
        actor = None
    writer = actor is not None and may_write(actor, household)
    records = list(help_records_for(household)[: SHOWN + 1])
    photos = photos_of([r.pk for r in records[:SHOWN]], voided=True)
    return {
        "records": [(r, photos.get(r.pk, [])) for r in records[:SHOWN]],
        "more": len(records) > SHOWN,
        "shown": SHOWN,
        "can_add": writer and household.active,
        "can_void": writer,
    }
