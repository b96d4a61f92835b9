"""返贫预警 on the staff household page (core/panels.py): the flags of the last months, the case and its steps.

Staff pages only; the public 一码清 pages never render it (they do not use panels)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from jingzhun.core.actions import Actor
from jingzhun.monitoring.cases import queries


def cases_panel(request: HttpRequest, actor: Actor, household: Any) -> str:
    return render_to_string("monitoring/cases/_panel.html", queries.household_panel(household), request=request)
