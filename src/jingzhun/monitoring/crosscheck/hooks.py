"""What the part `crosscheck` registers when the app is ready: the household page's 数据比对 panel, and the
department lists' events (disability, disaster, dropout, death) as an input of 返贫预警."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from jingzhun.core import panels
from jingzhun.core.actions import Actor

PANEL_ORDER = 60
PANEL_ROWS = 20


def crosscheck_panel(request: HttpRequest, actor: Actor, household: Any) -> str:
    """The household's 疑点 (newest first, bounded), with a link to each; nothing when there is none."""
    from jingzhun.monitoring.crosscheck.queries import suspects_for
    from jingzhun.monitoring.crosscheck.sources import SHORT

    rows = list(
        suspects_for(actor)
        .filter(household=household)
        .select_related("person", "row__dept_list")
        .order_by("-id")[:PANEL_ROWS]
    )
    if not rows:
        return ""
    items = [{"s": s, "source": SHORT[s.source]} for s in rows]
    return render_to_string("monitoring/crosscheck/_panel.html", {"items": items}, request=request)


def register() -> None:
    """Called once from `MonitoringConfig.ready`."""
    panels.register("crosscheck", PANEL_ORDER, crosscheck_panel)
    from jingzhun.core import monitoring_sources
    from jingzhun.monitoring.crosscheck.queries import department_events

    monitoring_sources.register_events("department_lists", department_events)
    from jingzhun.core import todos
    from jingzhun.monitoring.todos import suspect_todos

    todos.register("crosscheck", 60, suspect_todos)
