"""The assistance app's panel on the staff household page (core/panels.py): applications and enrollments."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from jingzhun.core.actions import Actor


def applications_panel(request: HttpRequest, actor: Actor, household: Any) -> str:
    return render_to_string("assistance/_household_section.html", {"household": household}, request=request)
