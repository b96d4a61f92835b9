"""Every write of the assistance app: one function, one transaction, one audit row (STYLE.md, Zulip).

This module holds the application workflow (受理 → 入户调查 → 民主评议 → 乡镇审核 → 县级审批) and is the one
place to import every action from: 公示 lives in :mod:`.notice`, 先行救助 in :mod:`.emergency`, changes to
enrollments in :mod:`.enrollment_actions` and the bulk 存量迁入 in :mod:`.roll`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jingzhun.assistance import workflow as wf
from jingzhun.assistance.emergency import pay_emergency_first, review_after_payment
from jingzhun.assistance.enrollment_actions import approve_into_enrollment as _approve_into_enrollment
from jingzhun.assistance.enrollment_actions import (
    end_enrollment,
    keep_policies_through_transition,
    record_change_of_circumstances,
    resume_enrollment,
    suspend_enrollment,
)
from jingzhun.assistance.models import (
    CLOSED_STATUSES,
    Application,
    ApplicationKind,
    Channel,
    Enrollment,
    EnrollmentStatus,
    StepName,
    TemporaryKind,
)
from jingzhun.assistance.notice import finish_public_notice, record_objection, resolve_objection, start_public_notice
from jingzhun.assistance.roll import approve_eligible
from jingzhun.assistance.steps import (
    add_step,
    advance,
    check_chronology,
    check_past,
    date_or_today,
    lock,
    required_text,
)
from jingzhun.assistance.surveyed_income import apply_surveyed_income
from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.models import Role
from jingzhun.policy.vocabulary import FAMILIES, PAID_BY_INSURANCE_CLAIM, PROGRAM_FAMILIES

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
    for program, reason in PAID_BY_INSURANCE_CLAIM.items():  # paid by its 一保通 claim only, never enrolled
        if family in PROGRAM_FAMILIES.get(program, ()):
            raise ValidationError(f"{reason} [family]")
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
    submitted_on = check_past(date_or_today(on), "submitted_on", "申请日期")
    if event_date is not None:
        check_past(event_date, "event_date", "事由发生日期")
        if event_date > submitted_on:
            raise ValidationError(
                {
                    "event_date": f"事由发生日期（{event_date.isoformat()}）不能晚于申请日期"
                    f"（{submitted_on.isoformat()}）[event_date]"
                }
            )
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
        submitted_on=submitted_on,
        statement=statement,
        temporary_kind=temporary_kind,
        amount_due_fen=amount_due_fen,
        event_date=event_date,
    )
    data = {"family": family, "kind": kind, "channel": app.created_via, "date": app.submitted_on.isoformat()}
    if kind == ApplicationKind.TEMPORARY:
        data |= {"temporary_kind": temporary_kind, "amount_due_fen": amount_due_fen, "event_date": str(event_date)}
    add_step(actor, app, StepName.CREATED, data)
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
    """入户调查: the household's income as checked on the spot, and whether its assets pass (车辆、存款、商品房…).

    A verified income becomes the household's registered income for the survey's year (``surveyed_income``:
    the registry's action, audited per member row), so the amount shown to the township and the county and
    the amount approved count what the survey found, not an older registered figure.
    """
    if annual_income_fen < 0:
        raise ValidationError("家庭年收入不能为负数 [annual_income_fen]")
    if not surveyors:
        raise ValidationError("须填写调查人员 [surveyors]")
    day = date_or_today(on)
    income_check: dict[str, Any] = {"annual_income_fen": annual_income_fen, "verified": income_verified}
    if income_verified and application.kind != ApplicationKind.TEMPORARY:
        app = lock(application)  # the step's own checks first: nothing is written for a refused survey
        check_region(actor, app.household.village.code)
        wf.require_role(actor, wf.VILLAGE_WORK, wf.step_label(StepName.SURVEY))
        wf.require_step(app, StepName.SURVEY)
        check_chronology(app, day, "on", "调查日期")
        income_check["registry"] = apply_surveyed_income(actor, app.household, day.year, annual_income_fen)
    data = {
        "date": day.isoformat(),
        "income_check": income_check,
        "asset_check": {"passed": assets_ok},
        "surveyors": list(surveyors),
        "note": note,
    }
    return advance(actor, application, StepName.SURVEY, wf.VILLAGE_WORK, data, day=(day, "on", "调查日期"))


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
    when = (held_on, "held_on", "评议日期")
    return advance(actor, application, StepName.DEMOCRATIC_REVIEW, wf.VILLAGE_WORK, data, day=when)


@transaction.atomic
def township_review(
    actor: Actor, application: Application, *, agree: bool, opinion: str, on: dt.date | None = None
) -> Application:
    """乡镇审核: the township's opinion; disagreeing ends the application (未批准) with the opinion as reason."""
    opinion = required_text(opinion, "opinion", "乡镇审核意见")
    day = date_or_today(on)
    data = {"agree": agree, "opinion": opinion, "date": day.isoformat()}
    return advance(
        actor,
        application,
        StepName.TOWNSHIP_REVIEW,
        wf.TOWNSHIP,
        data,
        reason=opinion,
        refused=not agree,
        day=(day, "on", "审核日期"),
    )


def _month_text(first: dt.date) -> str:
    return f"{first.year:04d}-{first.month:02d}"


def _check_start_month(application: Application, first: dt.date, decided_on: dt.date) -> None:
    """享受起始月份: from the month the application was submitted to the month after the decision."""
    earliest, latest = application.submitted_on.replace(day=1), wf.next_month(decided_on)
    if first < earliest:
        raise ValidationError(
            {
                "start_month": f"享受起始月份（{_month_text(first)}）不能早于申请月份（{_month_text(earliest)}）"
                " [start_month]"
            }
        )
    if first > latest:
        raise ValidationError(
            {
                "start_month": f"享受起始月份（{_month_text(first)}）不能晚于审批日期的下一个月"
                f"（{_month_text(latest)}）[start_month]"
            }
        )


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
    """县级审批: approve (an enrollment from ``start_month``, default the month after ``on``) or reject with a reason.

    Approving a 临时救助 creates no enrollment: the approved application itself is the payable event.
    """
    today = date_or_today(on)
    if not approve:
        reason = required_text(reason, "reason", "不予批准的理由")
    first = (start_month or wf.next_month(today)).replace(day=1)
    data = {"approve": approve, "reason": reason, "date": today.isoformat()}
    if approve and application.kind != ApplicationKind.TEMPORARY:
        data["start_month"] = first.isoformat()
    day = (today, "on", "审批日期")
    app = advance(
        actor, application, StepName.COUNTY_DECISION, wf.COUNTY, data, reason=reason, refused=not approve, day=day
    )
    if approve and app.kind != ApplicationKind.TEMPORARY:
        _check_start_month(app, first, today)
    if approve:
        app.decided_at, app.reason = timezone.now(), reason
        if app.kind != ApplicationKind.TEMPORARY:
            app.start_month = first
            _approve_into_enrollment(actor, app, first)
        app.save(update_fields=["decided_at", "reason", "start_month"])
    return app
