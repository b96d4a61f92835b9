"""住院结算 on the staff household page (core/panels.py): the household's latest stays, staff only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from jingzhun.core.actions import Actor
from jingzhun.medical.actions import may_write
from jingzhun.medical.views import household_stays


def medical_panel(request: HttpRequest, actor: Actor, household: Any) -> str:
    context = {
        "household": household,
        "rows": household_stays(actor, household),
        "can_add": may_write(actor, household.village.code) and household.active,
    }
    return render_to_string("medical/_medical_section.html", context, request=request)
