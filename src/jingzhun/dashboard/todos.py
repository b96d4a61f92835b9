"""走访逾期 on the 工作台 for a region, from the village counts instead of the register.

``helping/todos.py`` counts a region's registered households with no 帮扶记录 in the 90 days to the working
day by reading every household in scope (1.4 s for a 100 000-household county, bench/bench_dashboard.py).
The dashboard, a layer above, registers this provider under the same name in its ``ready()``
(``core.todos``: a later registration replaces the earlier): for a region it reads ``VillageCounts`` and the
day's ``VillageDayCounts``; a 帮扶 cadre's own households and the auditor are left to helping's provider.
Registered households: those with a 建档立卡年份, as on the dashboard's coverage chart.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.urls import reverse

from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.core.todos import Todo
from jingzhun.dashboard import counts, tasks
from jingzhun.dashboard.models import VillageCounts
from jingzhun.helping import todos as helping_todos
from jingzhun.registry.models import Region, RegionLevel


def overdue_visits(actor: Actor, today: dt.date) -> int:
    """From the counts as last built (a refresh is queued when they are stale; ``dashboard/tasks.py``)."""
    tasks.refresh_if_stale()
    villages = list(
        Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=actor.scope).values_list("id", flat=True)
    )
    registered = VillageCounts.objects.filter(village_id__in=villages, registered=True).aggregate(n=Sum("households"))[
        "n"
    ]
    visited = sum(day.visited for day in counts.day_counts(villages, today).values())
    return int(registered or 0) - visited


def help_todos(actor: Actor, today: dt.date) -> list[Todo]:
    if actor.role in (Role.ASSIGNED_CADRE, Role.AUDITOR):
        return helping_todos.help_todos(actor, today)
    hint = f"建档立卡户 {helping_todos.VISIT_DAYS} 天内没有帮扶记录"
    return [Todo("走访逾期", overdue_visits(actor, today), reverse("registry:list"), hint)]
