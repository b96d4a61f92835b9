"""The shared body of every application step: lock, scope, role, order, the step row and the audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from jingzhun.assistance import workflow as wf
from jingzhun.assistance.models import Application, ApplicationStatus, ApplicationStep
from jingzhun.core.actions import Actor, check_region, record_audit


def date_or_today(on: dt.date | None) -> dt.date:
    return on if on is not None else timezone.localdate()


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
) -> Application:
    """The shared body of a workflow step: scope, role, order, the step row, the status, the audit row.

    ``refused``: the step ends the application as 未批准 instead of moving it on.
    """
    app = lock(application)
    village = app.household.village.code
    check_region(actor, village)
    wf.require_role(actor, roles, wf.step_label(step))
    leads_to = wf.require_step(app, step)
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
