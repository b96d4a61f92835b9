"""Every write of the assistance app: one function, one transaction, one audit row (STYLE.md, Zulip).

This module holds the application workflow (受理 → 入户调查 → 民主评议 → 公示 → 乡镇审核 → 县级审批, and
先行救助 with its after-review); :mod:`.enrolment_actions` the changes to enrolments and
:mod:`.roll` the bulk 存量迁入. All are importable from here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jingzhun.assistance import workflow as wf
from jingzhun.assistance.enrolment_actions import approve_into_enrollment as _approve_into_enrollment
from jingzhun.assistance.enrolment_actions import (
    end_enrollment,
    keep_policies_through_transition,
    record_change_of_circumstances,
    resume_enrollment,
    suspend_enrollment,
)
from jingzhun.assistance.families import FAMILIES
from jingzhun.assistance.models import (
    CLOSED_STATUSES,
    Application,
    ApplicationKind,
    ApplicationStatus,
    ApplicationStep,
    Channel,
    Enrollment,
    EnrollmentStatus,
    StepName,
    TemporaryKind,
)
from jingzhun.assistance.roll import approve_eligible
from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.models import Role

__all__ = [
    "approve_eligible",
    "county_decide",
    "create_application",
    "end_enrollment",
    "finish_public_notice",
    "keep_policies_through_transition",
    "pay_emergency_first",
    "record_change_of_circumstances",
    "record_democratic_review",
    "record_objection",
    "record_survey",
    "resolve_objection",
    "resume_enrollment",
    "review_after_payment",
    "start_public_notice",
    "suspend_enrollment",
    "township_review",
]


def _today(on: dt.date | None) -> dt.date:
    return on if on is not None else timezone.localdate()


def _add_step(actor: Actor, application: Application, step: str, data: dict[str, Any]) -> ApplicationStep:
    return ApplicationStep.objects.create(
        application=application, step=step, actor=actor.user, actor_label=actor.label, data=data
    )


def _lock(application: Application) -> Application:
    """Re-read the application under a row lock, so two clerks cannot take the same step twice."""
    return Application.objects.select_for_update().select_related("household__village").get(pk=application.pk)


def _advance(
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
    app = _lock(application)
    village = app.household.village.code
    check_region(actor, village)
    wf.require_role(actor, roles, wf.step_label(step))
    leads_to = wf.require_step(app, step)
    before = app.status
    app.status = ApplicationStatus.REJECTED if refused else leads_to
    if refused:
        app.reason, app.decided_at = reason, timezone.now()
    app.save(update_fields=["status", "reason", "decided_at"])
    _add_step(actor, app, step, data)
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


def _required_text(value: str, key: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(f"{label}不能为空 [{key}]")
    return value


@transaction.atomic
def create_application(
    actor: Actor,
    household: Any,
    family: str,
    *,
    kind: str = ApplicationKind.NEW,
    statement: str = "",
    on: dt.date | None = None,
    temporary_kind: str = "",
    amount_due_fen: int | None = None,
    event_date: dt.date | None = None,
) -> Application:
    """受理: a village cadre (村级代办) or the county window (县级窗口) takes an application."""
    from jingzhun.registry.models import Household

    home = Household.objects.select_related("village").get(pk=household.pk)
    check_region(actor, home.village.code)
    wf.require_role(actor, wf.APPLICATION_DESKS, "受理申请")
    if family not in FAMILIES:
        raise ValidationError(f"未知救助类别 [family]：{family}")
    if kind not in ApplicationKind.values:
        raise ValidationError(f"未知申请类型 [kind]：{kind}")
    if not home.active:
        raise ValidationError(f"户 {home.household_no} 已销户，不能申请救助")
    if (family == "temporary") != (kind == ApplicationKind.TEMPORARY):
        raise ValidationError("临时救助须以「临时救助」类型申请，其他救助类别不能使用该类型 [kind]")
    if kind == ApplicationKind.TEMPORARY:
        if temporary_kind not in TemporaryKind.values:
            raise ValidationError("临时救助须注明类型：急难型或支出型 [temporary_kind]")
        if amount_due_fen is None or amount_due_fen <= 0:
            raise ValidationError("临时救助须填写大于零的申请金额 [amount_due_fen]")
        if event_date is None:
            raise ValidationError("临时救助须填写事由发生日期 [event_date]")
    open_enrollment = Enrollment.objects.filter(
        household=home, family=family, status__in=[EnrollmentStatus.ACTIVE, EnrollmentStatus.SUSPENDED]
    ).exists()
    name = FAMILIES[family]
    if kind == ApplicationKind.NEW and open_enrollment:
        raise ValidationError(f"该户已是{name}在册对象，请提交复核或变更申请 [kind]")
    if kind in (ApplicationKind.REVIEW, ApplicationKind.CHANGE) and not open_enrollment:
        raise ValidationError(f"该户不是{name}在册对象，不能申请复核或变更 [kind]")
    pending = Application.objects.filter(household=home, family=family).exclude(status__in=CLOSED_STATUSES)
    if kind != ApplicationKind.TEMPORARY and pending.exists():
        raise ValidationError(f"该户已有办理中的{name}申请，不能重复受理")
    app = Application.objects.create(
        household=home,
        family=family,
        kind=kind,
        created_via=Channel.VILLAGE if actor.role == Role.VILLAGE_CADRE else Channel.WINDOW,
        created_by=actor.user,
        created_by_label=actor.label,
        submitted_on=_today(on),
        statement=statement,
        temporary_kind=temporary_kind,
        amount_due_fen=amount_due_fen,
        event_date=event_date,
    )
    data = {"family": family, "kind": kind, "channel": app.created_via, "date": app.submitted_on.isoformat()}
    if kind == ApplicationKind.TEMPORARY:
        data |= {"temporary_kind": temporary_kind, "amount_due_fen": amount_due_fen, "event_date": str(event_date)}
    _add_step(actor, app, StepName.CREATED, data)
    record_audit(
        actor,
        "application_created",
        object_type="application",
        object_id=app.pk,
        region_code=home.village.code,
        after={"household": home.household_no, "status": app.status, **data},
    )
    return app


@transaction.atomic
def record_survey(
    actor: Actor,
    application: Application,
    *,
    annual_income_fen: int,
    income_verified: bool,
    assets_ok: bool,
    surveyors: list[str],
    note: str = "",
    on: dt.date | None = None,
) -> Application:
    """入户调查: the household's income as checked on the spot, and whether its assets pass (车辆、存款、商品房…)."""
    if annual_income_fen < 0:
        raise ValidationError("家庭年收入不能为负数 [annual_income_fen]")
    if not surveyors:
        raise ValidationError("须填写调查人员 [surveyors]")
    data = {
        "date": _today(on).isoformat(),
        "income_check": {"annual_income_fen": annual_income_fen, "verified": income_verified},
        "asset_check": {"passed": assets_ok},
        "surveyors": list(surveyors),
        "note": note,
    }
    return _advance(actor, application, StepName.SURVEY, wf.VILLAGE_WORK, data)


@transaction.atomic
def record_democratic_review(
    actor: Actor,
    application: Application,
    *,
    held_on: dt.date,
    attendees: int,
    votes_for: int,
    votes_against: int,
    note: str = "",
) -> Application:
    """民主评议: the village meeting's date, how many attended and how they voted."""
    if attendees <= 0 or votes_for < 0 or votes_against < 0:
        raise ValidationError("参会人数须大于零，票数不能为负数 [attendees, votes_for, votes_against]")
    if votes_for + votes_against > attendees:
        raise ValidationError("赞成票与反对票之和不能超过参会人数 [votes_for, votes_against]")
    data = {
        "date": held_on.isoformat(),
        "attendees": attendees,
        "votes_for": votes_for,
        "votes_against": votes_against,
        "passed": votes_for > votes_against,
        "note": note,
    }
    return _advance(actor, application, StepName.DEMOCRATIC_REVIEW, wf.VILLAGE_WORK, data)


@transaction.atomic
def start_public_notice(
    actor: Actor, application: Application, *, start: dt.date | None = None, place: str = ""
) -> Application:
    """公示: posted for seven days, ``start`` to ``start + 6`` inclusive."""
    first = _today(start)
    last = first + dt.timedelta(days=wf.NOTICE_DAYS - 1)
    data = {"start_date": first.isoformat(), "end_date": last.isoformat(), "place": place}
    return _advance(actor, application, StepName.NOTICE_START, wf.VILLAGE_WORK, data)


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
    data = {"content": _required_text(content, "content", "异议内容"), "raised_by": raised_by}
    data["date"] = _today(on).isoformat()
    app = _advance(actor, application, StepName.OBJECTION, wf.VILLAGE_WORK, data)
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
        "resolution": _required_text(resolution, "resolution", "处理意见"),
        "upheld": upheld,
        "date": _today(on).isoformat(),
    }
    return _advance(actor, application, StepName.OBJECTION_RESOLVED, wf.VILLAGE_WORK, data)


@transaction.atomic
def finish_public_notice(actor: Actor, application: Application, *, on: dt.date | None = None) -> Application:
    """公示结束: only after the seven days have passed and every objection has been resolved."""
    app = _lock(application)
    check_region(actor, app.household.village.code)
    wf.require_role(actor, wf.VILLAGE_WORK, StepName.NOTICE_FINISH.label)
    wf.require_step(app, StepName.NOTICE_FINISH)
    today = _today(on)
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
    return _advance(actor, app, StepName.NOTICE_FINISH, wf.VILLAGE_WORK, data)


@transaction.atomic
def township_review(
    actor: Actor, application: Application, *, agree: bool, opinion: str, on: dt.date | None = None
) -> Application:
    """乡镇审核: the township's opinion; disagreeing ends the application (未批准) with the opinion as reason."""
    opinion = _required_text(opinion, "opinion", "乡镇审核意见")
    data = {"agree": agree, "opinion": opinion, "date": _today(on).isoformat()}
    return _advance(actor, application, StepName.TOWNSHIP_REVIEW, wf.TOWNSHIP, data, reason=opinion, refused=not agree)


@transaction.atomic
def county_decide(
    actor: Actor,
    application: Application,
    *,
    approve: bool,
    reason: str = "",
    start_month: dt.date | None = None,
    on: dt.date | None = None,
) -> Application:
    """县级审批: approve (an enrolment from ``start_month``, default the month after ``on``) or reject with a reason.

    Approving a 临时救助 creates no enrolment: the approved application itself is the payable event.
    """
    today = _today(on)
    if not approve:
        reason = _required_text(reason, "reason", "不予批准的理由")
    first = (start_month or wf.next_month(today)).replace(day=1)
    data = {"approve": approve, "reason": reason, "date": today.isoformat()}
    if approve and application.kind != ApplicationKind.TEMPORARY:
        data["start_month"] = first.isoformat()
    app = _advance(actor, application, StepName.COUNTY_DECISION, wf.COUNTY, data, reason=reason, refused=not approve)
    if approve:
        app.decided_at, app.reason = timezone.now(), reason
        if app.kind != ApplicationKind.TEMPORARY:
            app.start_month = first
            _approve_into_enrollment(actor, app, first)
        app.save(update_fields=["decided_at", "reason", "start_month"])
    return app


@transaction.atomic
def pay_emergency_first(
    actor: Actor,
    household: Any,
    *,
    amount_due_fen: int,
    event_date: dt.date,
    statement: str,
    on: dt.date | None = None,
) -> Application:
    """先行救助: the township approves an emergency 临时救助 at once, up to ``cap_emergency`` (POLICY §5).

    The application is created approved and paid in the month of the event; the county must review it
    within ``review_working_days`` working days (:func:`review_after_payment`).
    """
    from jingzhun.assistance.policy_bridge import emergency_terms
    from jingzhun.registry.models import Household

    home = Household.objects.select_related("village").get(pk=household.pk)
    check_region(actor, home.village.code)
    wf.require_role(actor, wf.TOWNSHIP, StepName.PAID_FIRST.label)
    if amount_due_fen <= 0:
        raise ValidationError("申请金额须大于零 [amount_due_fen]")
    if not home.active:
        raise ValidationError(f"户 {home.household_no} 已销户，不能申请救助")
    today = _today(on)
    cap_fen, working_days = emergency_terms(home.village.code, event_date)
    paid = min(amount_due_fen, cap_fen)
    app = Application.objects.create(
        household=home,
        family="temporary",
        kind=ApplicationKind.TEMPORARY,
        status=ApplicationStatus.APPROVED,
        created_via=Channel.TOWNSHIP,
        created_by=actor.user,
        created_by_label=actor.label,
        submitted_on=today,
        statement=_required_text(statement, "statement", "救助事由"),
        temporary_kind=TemporaryKind.EMERGENCY,
        amount_due_fen=amount_due_fen,
        event_date=event_date,
        amount_approved_fen=paid,
        paid_first=True,
        after_review_due=wf.add_working_days(today, working_days),
        decided_at=timezone.now(),
    )
    data = {
        "date": today.isoformat(),
        "event_date": event_date.isoformat(),
        "amount_due_fen": amount_due_fen,
        "cap_fen": cap_fen,
        "paid_fen": paid,
        "after_review_due": app.after_review_due.isoformat(),
    }
    _add_step(actor, app, StepName.CREATED, {"family": "temporary", "kind": "temporary", "channel": "township"})
    _add_step(actor, app, StepName.PAID_FIRST, data)
    record_audit(
        actor,
        "application_paid_first",
        object_type="application",
        object_id=app.pk,
        region_code=home.village.code,
        after={"household": home.household_no, "status": app.status, **data},
        reason=app.statement,
    )
    return app


@transaction.atomic
def review_after_payment(
    actor: Actor, application: Application, *, confirmed: bool, opinion: str, on: dt.date | None = None
) -> Application:
    """补办审核 of a 先行救助 by the county; an unconfirmed one is left out of payable_events from then on."""
    app = _lock(application)
    village = app.household.village.code
    check_region(actor, village)
    wf.require_role(actor, wf.COUNTY, StepName.AFTER_REVIEW.label)
    if not app.paid_first:
        raise ValidationError("该申请不是先行救助，无需补办审核")
    if app.after_reviewed_at is not None:
        raise ValidationError("该先行救助已完成补办审核，不能重复审核")
    today = _today(on)
    opinion = _required_text(opinion, "opinion", "审核意见")
    assert app.after_review_due is not None
    data = {
        "confirmed": confirmed,
        "opinion": opinion,
        "date": today.isoformat(),
        "overdue": today > app.after_review_due,
    }
    app.after_reviewed_at = timezone.now()
    app.after_review_confirmed = confirmed
    app.save(update_fields=["after_reviewed_at", "after_review_confirmed"])
    _add_step(actor, app, StepName.AFTER_REVIEW, data)
    record_audit(
        actor,
        "application_after_review",
        object_type="application",
        object_id=app.pk,
        region_code=village,
        before={"after_review_confirmed": None},
        after=data,
        reason=opinion,
    )
    return app
