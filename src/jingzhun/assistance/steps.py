"""The shared body of every application step: lock, scope, role, order, the step row and the audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from jingzhun.assistance import workflow as wf
from jingzhun.assistance.models import Application, ApplicationStatus, ApplicationStep, StepName
from jingzhun.core import workday
from jingzhun.core.actions import Actor, check_region, record_audit

FIRST_DAY = dt.date(2014, 1, 1)  # 建档立卡 began in 2014: no application, step or event is dated earlier
# where a step's data holds the day it happened (公示开始 its start, 公示结束 the day it was closed)
DAY_KEYS = ("finished_on", "date", "start_date")


def date_or_today(on: dt.date | None) -> dt.date:
    return on if on is not None else workday.today()


def check_past(day: dt.date, key: str, label: str) -> dt.date:
    """``day`` if it lies between 2014-01-01 and today; otherwise a Chinese refusal keyed ``key``."""
    today = workday.today()
    if day > today:
        raise ValidationError({key: f"{label}（{day.isoformat()}）不能晚于今天（{today.isoformat()}）[{key}]"})
    if day < FIRST_DAY:
        raise ValidationError({key: f"{label}（{day.isoformat()}）不能早于 {FIRST_DAY.isoformat()} [{key}]"})
    return day


def step_day(step: ApplicationStep) -> dt.date | None:
    for key in DAY_KEYS:
        value = step.data.get(key)
        if isinstance(value, str) and value:
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return None
    return None


def last_step_day(application: Application) -> tuple[dt.date, str]:
    """(the latest day recorded so far, what was recorded that day): the application's submission at least."""
    day, what = application.submitted_on, "申请日期"
    for step in application.steps.exclude(step=StepName.CREATED).order_by("id"):
        recorded = step_day(step)
        if recorded is not None and recorded >= day:
            day, what = recorded, f"「{step.get_step_display()}」日期"
    return day, what


def check_chronology(application: Application, day: dt.date, key: str, label: str) -> dt.date:
    """A step's ``day``: not after today, and not before the application's submission or any earlier step."""
    check_past(day, key, label)
    last, what = last_step_day(application)
    if day < last:
        raise ValidationError(
            {key: f"{label}（{day.isoformat()}）不能早于{what}（{last.isoformat()}），请按办理顺序填写 [{key}]"}
        )
    return day


def add_step(actor: Actor, application: Application, step: str, data: dict[str, Any]) -> ApplicationStep:
    return ApplicationStep.objects.create(
        application=application, step=step, actor=actor.user, actor_label=actor.label, data=data
    )


def lock(application: Application) -> Application:
    """Re-read the application under a row lock, so two clerks cannot take the same step twice."""
    return Application.objects.select_for_update().select_related("household__village").get(pk=application.pk)


def advance(
    actor: Actor,
    application: Application,
    step: str,
    roles: frozenset[str],
    data: dict[str, Any],
    reason: str = "",
    refused: bool = False,
    day: tuple[dt.date, str, str] | None = None,
) -> Application:
    """The shared body of a workflow step: scope, role, order, dates, the step row, the status, the audit row.

    ``refused``: the step ends the application as 未批准 instead of moving it on. ``day``: (the step's date,
    its form key, its Chinese label), checked against today and the steps before it (:func:`check_chronology`).
    """
    app = lock(application)
    village = app.household.village.code
    check_region(actor, village)
    wf.require_role(actor, roles, wf.step_label(step))
    leads_to = wf.require_step(app, step)
    if day is not None:
        check_chronology(app, *day)
    before = app.status
    app.status = ApplicationStatus.REJECTED if refused else leads_to
    if refused:
        app.reason, app.decided_at = reason, timezone.now()
    app.save(update_fields=["status", "reason", "decided_at"])
    add_step(actor, app, step, data)
    record_audit(
        actor,
        f"application_{step}",
        object_type="application",
        object_id=app.pk,
        region_code=village,
        before={"status": before},
        after={"status": app.status, **data},
        reason=reason,
    )
    return app


def required_text(value: str, key: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(f"{label}不能为空 [{key}]")
    return value
