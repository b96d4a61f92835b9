"""The registry's audit helpers: a JSON-ready snapshot of a row, and the one audit row of an action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Model

from jingzhun.core.actions import Actor, record_audit
from jingzhun.registry.models import Household, Person


def snapshot(obj: Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """JSON-ready field values for the audit row (dates as ISO text, decimals as text, FKs as ids)."""
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        value = getattr(obj, f.attname)
        out[f.attname] = (
            value.isoformat() if isinstance(value, dt.date) else str(value) if isinstance(value, Decimal) else value
        )
    return out


def village_of(obj: Model) -> str:
    if isinstance(obj, Household):
        return obj.village.code
    if isinstance(obj, Person):
        return obj.household.village.code
    return village_of(obj.person)  # type: ignore[attr-defined]


def audit(actor: Actor, action: str, obj: Model, *, before: Any = None, after: Any = None, reason: str = "") -> None:
    """The action's one audit row (``registry.<action>``), filed under the object's village code."""
    record_audit(
        actor,
        f"registry.{action}",
        object_type=type(obj).__name__,
        object_id=obj.pk,
        region_code=village_of(obj),
        before=before,
        after=after,
        reason=reason,
    )
