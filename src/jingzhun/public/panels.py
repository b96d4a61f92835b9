"""一码清 on the staff household page (core/panels.py): the household's QR code, URL, 作废/重新生成."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from jingzhun.core.actions import Actor


def token_panel(request: HttpRequest, actor: Actor, household: Any) -> str:
    return render_to_string("public/staff/_token_section.html", {"household": household}, request=request)
