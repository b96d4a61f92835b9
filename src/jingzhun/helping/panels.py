"""帮扶记录 on the staff household page (core/panels.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from jingzhun.core.actions import Actor


def help_panel(request: HttpRequest, actor: Actor, household: Any) -> str:
    return render_to_string("helping/_help_section.html", {"household": household}, request=request)
