"""The order of an application's steps, who may take each, and the refusals in Chinese.

A new, review or change application walks 入户调查 → 民主评议 → 公示 (start, objections, finish) → 乡镇审核
→ 县级审批. 临时救助 skips 民主评议 and 公示 (国发〔2014〕47号: 临时救助 is decided on the survey, so help
is not held up for a week of notice). Each step is allowed from exactly one status; anything else is
refused with what the status is and which step must come first.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

from jingzhun.assistance.models import (
    CLOSED_STATUSES,
    Application,
    ApplicationKind,
    ApplicationStatus,
    StepName,
)
from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.policy.context import add_months as add_months  # the callers read wf.add_months

S = ApplicationStatus

# step → (status it needs, status it leads to)
FULL_PATH: dict[str, tuple[str, str]] = {
    StepName.SURVEY: (S.SUBMITTED, S.SURVEYED),
    StepName.DEMOCRATIC_REVIEW: (S.SURVEYED, S.REVIEWED),
    StepName.NOTICE_START: (S.REVIEWED, S.IN_NOTICE),
    StepName.OBJECTION: (S.IN_NOTICE, S.IN_NOTICE),
    StepName.OBJECTION_RESOLVED: (S.IN_NOTICE, S.IN_NOTICE),
    StepName.NOTICE_FINISH: (S.IN_NOTICE, S.NOTICED),
    StepName.TOWNSHIP_REVIEW: (S.NOTICED, S.TOWNSHIP_APPROVED),
    StepName.COUNTY_DECISION: (S.TOWNSHIP_APPROVED, S.APPROVED),
}
TEMPORARY_PATH: dict[str, tuple[str, str]] = {
    StepName.SURVEY: (S.SUBMITTED, S.SURVEYED),
    StepName.TOWNSHIP_REVIEW: (S.SURVEYED, S.TOWNSHIP_APPROVED),
    StepName.COUNTY_DECISION: (S.TOWNSHIP_APPROVED, S.APPROVED),
}
# the step whose completion reaches a status: what "需先完成…" names
REACHED_BY: dict[str, str] = {
    S.SUBMITTED: StepName.CREATED,
    S.SURVEYED: StepName.SURVEY,
    S.REVIEWED: StepName.DEMOCRATIC_REVIEW,
    S.IN_NOTICE: StepName.NOTICE_START,
    S.NOTICED: StepName.NOTICE_FINISH,
    S.TOWNSHIP_APPROVED: StepName.TOWNSHIP_REVIEW,
}

VILLAGE_WORK = frozenset({Role.VILLAGE_CADRE, Role.TOWNSHIP_OFFICER, Role.ADMIN})
APPLICATION_DESKS = frozenset({Role.VILLAGE_CADRE, Role.COUNTY_OFFICER, Role.ADMIN})
TOWNSHIP = frozenset({Role.TOWNSHIP_OFFICER, Role.ADMIN})
COUNTY = frozenset({Role.COUNTY_OFFICER, Role.ADMIN})

REVIEW_MONTHS = 12  # 低保、特困 and 护理补贴 are re-checked yearly (年度复核)
NOTICE_DAYS = 7  # 公示 at least seven days (民发〔2012〕220号 practice; the task fixes it at 7)


def path_of(application: Application) -> dict[str, tuple[str, str]]:
    return TEMPORARY_PATH if application.kind == ApplicationKind.TEMPORARY else FULL_PATH


def step_label(step: str) -> str:
    return StepName(step).label


def status_label(status: str) -> str:
    return ApplicationStatus(status).label


def require_step(application: Application, step: str) -> str:
    """The status the step leads to, or :class:`ValidationError` saying why it cannot be taken now."""
    path = path_of(application)
    current = application.status
    here = f"当前状态为「{status_label(current)}」，不能进行「{step_label(step)}」"
    if step not in path:
        raise ValidationError(f"{here}（临时救助申请不经过该环节）")
    needed, leads_to = path[step]
    if current == needed:
        return leads_to
    if current in CLOSED_STATUSES:
        raise ValidationError(f"{here}（申请已办结）")
    order = list(dict.fromkeys(s for s, _ in path.values()))
    if current in order and order.index(current) > order.index(needed):
        raise ValidationError(f"{here}（该环节已完成）")
    raise ValidationError(f"{here}（需先完成「{step_label(REACHED_BY[needed])}」）")


def require_role(actor: Actor, roles: frozenset[str], what: str) -> None:
    if actor.role not in roles:
        raise PermissionDenied(f"「{Role(actor.role).label}」不能进行「{what}」。")


def add_working_days(start: dt.date, days: int) -> dt.date:
    """``days`` working days (Monday to Friday) after ``start``; public holidays are not modelled."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
