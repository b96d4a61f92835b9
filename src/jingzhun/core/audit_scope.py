"""Which audit rows belong to a household: how the 修改记录 tab finds other apps' rows without importing them.

The registry knows its own objects (the household, its members, their incomes, its change requests). An app
above it (assistance: applications and enrollments; helping: 帮扶记录) registers in ``AppConfig.ready`` a
function ``(household) -> Q`` over ``AuditEvent`` that selects its rows about that household — the same
registration pattern as the household page's panels (core/panels.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q

Scope = Callable[[Any], Q]

_scopes: dict[str, Scope] = {}


def register(name: str, scope: Scope) -> None:
    """Add (or replace) an app's selection of a household's audit rows."""
    _scopes[name] = scope


def household_rows(household: Any) -> Q:
    """The registered apps' rows about ``household``, or-ed together (an empty Q matches nothing here)."""
    out = Q(pk__in=[])
    for scope in _scopes.values():
        out |= scope(household)
    return out
