"""监测's to-dos on the 工作台 (``core.todos``, registered by the cases and crosscheck parts' hooks):
返贫预警 cases whose next step is mine, those past their 15-day limit, and 疑点 waiting for the village."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.core.todos import Todo


def case_todos(actor: Actor, today: dt.date) -> list[Todo]:
    """待我处理的返贫预警案件 and, of those, 逾期 (not decided by the county and past the due date)."""
    if actor.role == Role.AUDITOR:
        return []
    from jingzhun.monitoring.cases.queries import todo
    from jingzhun.monitoring.models.cases import OPEN_STATES

    mine = todo(actor)
    overdue = mine.filter(state__in=[s.value for s in OPEN_STATES], due_on__lt=today).count()
    url = reverse("monitoring:cases:todo")
    return [
        Todo("返贫预警待我处理", mine.count(), url, "下一步由我处理的监测案件"),
        Todo("返贫预警逾期", overdue, url, "首次预警后 15 天仍未县级认定"),
    ]


def suspect_todos(actor: Actor, today: dt.date) -> list[Todo]:
    """数据比对疑点待核实: open 疑点 in my region (a 帮扶 cadre: of my households)."""
    if actor.role == Role.AUDITOR:
        return []
    from jingzhun.monitoring.crosscheck.queries import suspects_for
    from jingzhun.monitoring.models.crosscheck import SuspectState

    count = suspects_for(actor).filter(state=SuspectState.OPEN).count()
    return [Todo("数据比对疑点待核实", count, reverse("monitoring:crosscheck"), "部门名单比对命中、尚未核实的疑点")]
