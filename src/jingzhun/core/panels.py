"""Panels of the staff household page: how the registry shows other apps' data without importing them.

The registry renders the household and, below its own sections, every registered panel in ``order``.
An app above the registry (assistance, ledger, public, helping, and the coming monitoring and medical)
registers its panel in ``AppConfig.ready``; ``render(request, actor, household)`` returns the panel's
HTML (a ``render_to_string`` of the app's own template). Registering a name twice replaces the panel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from jingzhun.core.actions import Actor

Render = Callable[[HttpRequest, Actor, Any], str]


@dataclass(frozen=True)
class Panel:
    name: str
    order: int
    render: Render


_panels: dict[str, Panel] = {}


def register(name: str, order: int, render: Render) -> None:
    _panels[name] = Panel(name, order, render)


def registered() -> list[Panel]:
    return sorted(_panels.values(), key=lambda p: (p.order, p.name))


def render_panels(request: HttpRequest, actor: Actor, household: Any) -> list[SafeString]:
    """Each panel's HTML, in order; it was rendered from the app's own (auto-escaping) template."""
    return [mark_safe(panel.render(request, actor, household)) for panel in registered()]
