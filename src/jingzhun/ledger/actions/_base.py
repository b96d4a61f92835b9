"""What the ledger's writes share: the column orders of the bulk inserts and the county's paying roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from jingzhun.core.actions import Actor
from jingzhun.core.models import Role

if TYPE_CHECKING:
    pass


LINE_COLUMNS = (
    "run_id",
    "household_id",
    "person_id",
    "program",
    "month",
    "amount_fen",
    "kind",
    "reverses_id",
    "reason",
    "explain_key",
    "persons",
    "created_at",
    "actor_label",
)


EVENT_COLUMNS = ("line_id", "status", "batch_id", "reference", "note", "at", "actor_label")


PAYING_ROLES = frozenset({Role.COUNTY_OFFICER, Role.ADMIN})


def require_county(actor: Actor, what: str) -> None:
    """Payments are the county's business (民政局): runs, reversals and bank files are not for townships or villages."""
    if actor.role not in PAYING_ROLES:
        raise PermissionDenied(f"「{Role(actor.role).label}」不能进行「{what}」。")
