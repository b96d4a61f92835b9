"""公示: seven days on the village board, objections recorded and resolved before it may finish."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from jingzhun.assistance import workflow as wf
from jingzhun.assistance.models import Application, ApplicationStep, StepName
from jingzhun.assistance.steps import advance, check_chronology, date_or_today, lock, required_text
from jingzhun.core.actions import Actor, check_region


@transaction.atomic
def start_public_notice(
    actor: Actor, application: Application, *, start: dt.date | None = None, place: str = ""
) -> Application:
    """公示: posted for seven days, ``start`` to ``start + 6`` inclusive."""
    first = date_or_today(start)
    last = first + dt.timedelta(days=wf.NOTICE_DAYS - 1)
    data = {"start_date": first.isoformat(), "end_date": last.isoformat(), "place": place}
    return advance(
        actor, application, StepName.NOTICE_START, wf.VILLAGE_WORK, data, day=(first, "start", "公示开始日期")
    )


def _notice(app: Application) -> tuple[dt.date, dt.date]:
    step = app.steps.filter(step=StepName.NOTICE_START).latest("id")
    return dt.date.fromisoformat(step.data["start_date"]), dt.date.fromisoformat(step.data["end_date"])


def _objections(app: Application) -> list[dict[str, Any]]:
    steps = list(app.steps.filter(step__in=[StepName.OBJECTION, StepName.OBJECTION_RESOLVED]).order_by("id"))
    resolutions = {s.data["objection"]: s.data for s in steps if s.step == StepName.OBJECTION_RESOLVED}
    return [{"id": s.pk, **s.data, "resolution": resolutions.get(s.pk)} for s in steps if s.step == StepName.OBJECTION]


@transaction.atomic
def record_objection(
    actor: Actor, application: Application, *, content: str, raised_by: str = "", on: dt.date | None = None
) -> ApplicationStep:
    """公示异议: someone objects during the notice; it must be resolved before the notice can finish."""
    day = date_or_today(on)
    data = {"content": required_text(content, "content", "异议内容"), "raised_by": raised_by, "date": day.isoformat()}
    app = advance(actor, application, StepName.OBJECTION, wf.VILLAGE_WORK, data, day=(day, "on", "收到日期"))
    return app.steps.filter(step=StepName.OBJECTION).latest("id")


@transaction.atomic
def resolve_objection(
    actor: Actor,
    application: Application,
    objection: ApplicationStep,
    *,
    resolution: str,
    upheld: bool,
    on: dt.date | None = None,
) -> Application:
    """异议处理: how an objection was checked and whether it was upheld (成立) or not."""
    if objection.application_id != application.pk or objection.step != StepName.OBJECTION:
        raise ValidationError("该记录不是本申请的公示异议 [objection]")
    if any(o["id"] == objection.pk and o["resolution"] for o in _objections(application)):
        raise ValidationError("该异议已处理，不能重复处理 [objection]")
    data = {
        "objection": objection.pk,
        "resolution": required_text(resolution, "resolution", "处理意见"),
        "upheld": upheld,
        "date": (day := date_or_today(on)).isoformat(),
    }
    return advance(actor, application, StepName.OBJECTION_RESOLVED, wf.VILLAGE_WORK, data, day=(day, "on", "处理日期"))


@transaction.atomic
def finish_public_notice(actor: Actor, application: Application, *, on: dt.date | None = None) -> Application:
    """公示结束: only after the seven days have passed and every objection has been resolved."""
    app = lock(application)
    check_region(actor, app.household.village.code)
    wf.require_role(actor, wf.VILLAGE_WORK, StepName.NOTICE_FINISH.label)
    wf.require_step(app, StepName.NOTICE_FINISH)
    today = date_or_today(on)
    check_chronology(app, today, "on", "结束日期")
    first, last = _notice(app)
    if today <= last:
        raise ValidationError(
            f"公示期未满 {wf.NOTICE_DAYS} 天（{first.isoformat()} 至 {last.isoformat()}），"
            f"{(last + dt.timedelta(days=1)).isoformat()} 起方可结束公示"
        )
    objections = _objections(app)
    open_count = sum(1 for o in objections if not o["resolution"])
    if open_count:
        raise ValidationError(f"有 {open_count} 条公示异议尚未处理，不能结束公示")
    data = {
        "start_date": first.isoformat(),
        "end_date": last.isoformat(),
        "finished_on": today.isoformat(),
        "objections": objections,
    }
    return advance(actor, app, StepName.NOTICE_FINISH, wf.VILLAGE_WORK, data, day=(today, "on", "结束日期"))
