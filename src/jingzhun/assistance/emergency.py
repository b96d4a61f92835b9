"""先行救助: the township pays an emergency 临时救助 at once; the county reviews it afterwards."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jingzhun.assistance import workflow as wf
from jingzhun.assistance.models import Application, ApplicationKind, ApplicationStatus, Channel, StepName, TemporaryKind
from jingzhun.assistance.policy_bridge import emergency_terms
from jingzhun.assistance.steps import add_step, check_chronology, check_past, date_or_today, lock, required_text
from jingzhun.core.actions import Actor, check_region, record_audit


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
    from jingzhun.registry.models import Household

    home = Household.objects.select_related("village").get(pk=household.pk)
    check_region(actor, home.village.code)
    wf.require_role(actor, wf.TOWNSHIP, StepName.PAID_FIRST.label)
    if amount_due_fen <= 0:
        raise ValidationError("申请金额须大于零 [amount_due_fen]")
    if not home.active:
        raise ValidationError(f"户 {home.household_no} 已销户，不能申请救助")
    today = check_past(date_or_today(on), "on", "办理日期")
    check_past(event_date, "event_date", "事由发生日期")
    if event_date > today:
        raise ValidationError(
            {
                "event_date": f"事由发生日期（{event_date.isoformat()}）不能晚于办理日期"
                f"（{today.isoformat()}）[event_date]"
            }
        )
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
        statement=required_text(statement, "statement", "救助事由"),
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
    add_step(actor, app, StepName.CREATED, {"family": "temporary", "kind": "temporary", "channel": "township"})
    add_step(actor, app, StepName.PAID_FIRST, data)
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
    app = lock(application)
    village = app.household.village.code
    check_region(actor, village)
    wf.require_role(actor, wf.COUNTY, StepName.AFTER_REVIEW.label)
    if not app.paid_first:
        raise ValidationError("该申请不是先行救助，无需补办审核")
    if app.after_reviewed_at is not None:
        raise ValidationError("该先行救助已完成补办审核，不能重复审核")
    today = check_chronology(app, date_or_today(on), "on", "审核日期")
    opinion = required_text(opinion, "opinion", "审核意见")
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
    add_step(actor, app, StepName.AFTER_REVIEW, data)
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
