"""一保通 on the staff household page (core/panels.py): the household's policies and claims."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from jingzhun.core.actions import Actor
from jingzhun.insurance.views import household_insurance


def insurance_panel(request: HttpRequest, actor: Actor, household: Any) -> str:
    context = household_insurance(household)
    if not context["policies"]:
        return ""
    return render_to_string("insurance/_insurance_section.html", {"household": household, **context}, request=request)
