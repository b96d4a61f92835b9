"""返贫预警 on the staff household page (core/panels.py): the flags of the last months, the case and its steps.

Staff pages only; the public 一码清 pages never render it (they do not use panels)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from jingzhun.core.actions import Actor
from jingzhun.monitoring.cases import queries
from jingzhun.monitoring.cases.actions import OPENERS
from jingzhun.registry.cases_actions import MARGINAL_ROLES


def cases_panel(request: HttpRequest, actor: Actor, household: Any) -> str:
    # only the links the role may follow: an auditor (read-only) was offered two that answer 403
    context = queries.household_panel(household) | {
        "can_open": actor.role in OPENERS,
        "can_mark": actor.role in MARGINAL_ROLES,
    }
    return render_to_string("monitoring/cases/_panel.html", context, request=request)
