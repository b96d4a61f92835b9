"""帮扶's to-do on the 工作台 (registered in ``AppConfig.ready``): registered-poor households in my scope
(a 帮扶 cadre: assigned to me) with no 帮扶记录 in the last 90 days — 走访逾期.

Two aggregates (households, households visited), not a subquery per household."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse

from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.core.todos import Todo
from jingzhun.helping.models import HelpRecord
from jingzhun.registry.queries import households_for

VISIT_DAYS = 90


def overdue_visits(actor: Actor, today: dt.date) -> int:
    households = households_for(actor).filter(active=True, registered_year__isnull=False, status__isnull=False)
    since = today - dt.timedelta(days=VISIT_DAYS - 1)
    visited = HelpRecord.objects.filter(
        household__in=households, date__gte=since, date__lte=today, voided_at__isnull=True
    ).aggregate(n=Count("household", distinct=True))["n"]
    return int(households.count() - (visited or 0))


def help_todos(actor: Actor, today: dt.date) -> list[Todo]:
    if actor.role == Role.AUDITOR:
        return []
    label = "我帮扶的户走访逾期" if actor.role == Role.ASSIGNED_CADRE else "走访逾期"
    return [
        Todo(label, overdue_visits(actor, today), reverse("registry:list"), f"建档立卡户 {VISIT_DAYS} 天内没有帮扶记录")
    ]
