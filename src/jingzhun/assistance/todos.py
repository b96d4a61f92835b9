"""救助办理's to-dos on the 工作台 (registered in ``AppConfig.ready``): applications waiting for my step,
公示 ending within two days (or past its end and not yet closed), enrollments due for 复核."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.urls import reverse

from jingzhun.assistance.models import Application, ApplicationStatus, ApplicationStep, StepName
from jingzhun.assistance.queries import due_for_review
from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.core.todos import Todo

NOTICE_WARNING_DAYS = 2  # 公示 whose last day is within two days


def _scoped(actor: Actor, rows: QuerySet[Application]) -> QuerySet[Application]:
    if actor.scope:
        rows = rows.filter(household__village__code__startswith=actor.scope)
    if actor.role == Role.ASSIGNED_CADRE:
        rows = rows.filter(household__assigned_cadre=actor.user)
    return rows


def assistance_todos(actor: Actor, today: dt.date) -> list[Todo]:
    from jingzhun.assistance.views import QUEUES

    if actor.role == Role.AUDITOR:
        return []
    out: list[Todo] = []
    base = reverse("assistance:list")
    queue = QUEUES.get(actor.role)
    if queue is not None:
        mine = _scoped(actor, Application.objects.filter(queue)).count()
        out.append(Todo("待我审批", mine, f"{base}?view=mine", "轮到我这一环节办理的申请"))
    in_notice = _scoped(actor, Application.objects.filter(status=ApplicationStatus.IN_NOTICE))
    ends = ApplicationStep.objects.filter(application__in=in_notice, step=StepName.NOTICE_START).values_list(
        "application_id", "data"
    )
    last_day: dict[int, str] = {}
    for pk, data in ends.order_by("id"):
        last_day[pk] = str((data or {}).get("end_date", ""))  # the latest notice of each application
    soon = (today + dt.timedelta(days=NOTICE_WARNING_DAYS)).isoformat()
    ending = sum(1 for end in last_day.values() if end and end <= soon)
    out.append(
        Todo(
            "公示即将期满",
            ending,
            f"{base}?status=in_notice",
            f"公示最后一天在 {NOTICE_WARNING_DAYS} 天内或已过、尚未结束公示",
        )
    )
    due = due_for_review(today, actor.scope)
    if actor.role == Role.ASSIGNED_CADRE:
        due = due.filter(household__assigned_cadre=actor.user)
    out.append(Todo("待复核", due.count(), reverse("assistance:due"), "年度复核到期或登记信息有变化的在册对象"))
    return out


def open_applications(actor: Actor) -> int:
    """Applications in scope not yet decided (办理中)."""
    return _scoped(actor, Application.objects.filter(~Q(status__in=["approved", "rejected"]))).count()
