"""先行救助: the township pays an emergency at once, up to the parameter cap, and the county reviews after."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingzhun.assistance import actions
from jingzhun.assistance.queries import payable_events
from jingzhun.core.models import AuditEvent
from jingzhun.policy.money import round_fen
from jingzhun.policy.params import load_parameters

SUBMITTED = dt.date(2020, 5, 1)  # before every step of the walk (2020-05-04 on)

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2020, 5, 8)


def pay(who: Any, home: Any, amount_fen: int = 300_000, on: dt.date = FRIDAY) -> Any:
    return actions.pay_emergency_first(
        who, home, amount_due_fen=amount_fen, event_date=on - dt.timedelta(days=1), statement="房屋失火", on=on
    )


def test_emergency_is_approved_at_once_and_is_payable_in_the_event_month(
    personas: dict[str, Any], household: Any, actor: Any
) -> None:
    home = household("v11")
    app = pay(actor(personas["tom"]), home)
    assert (app.status, app.paid_first, app.created_via, app.amount_approved_fen) == (
        "approved",
        True,
        "township",
        300_000,
    )
    assert payable_events("2020-05") == [
        {
            "application_id": app.pk,
            "household_pk": home.pk,
            "household_no": home.household_no,
            "kind": "emergency",
            "amount_due": "3000.00",
            "date": "2020-05-07",
        }
    ]
    assert payable_events("2020-06") == []
    assert AuditEvent.objects.filter(action="application_paid_first", object_id=str(app.pk)).count() == 1


def test_payment_is_capped_at_the_cap_emergency_parameter(personas: dict[str, Any], household: Any, actor: Any) -> None:
    cap = round_fen(load_parameters().resolve("temporary_assistance.cap_emergency", "141102", FRIDAY).value)
    assert cap == 500_000
    app = pay(actor(personas["tom"]), household("v11"), amount_fen=800_000)
    assert (app.amount_due_fen, app.amount_approved_fen) == (800_000, cap)
    assert app.steps.get(step="paid_first").data["cap_fen"] == cap


def test_after_review_is_due_five_working_days_later(personas: dict[str, Any], household: Any, actor: Any) -> None:
    app = pay(actor(personas["tom"]), household("v11"), on=FRIDAY)
    assert app.after_review_due == dt.date(2020, 5, 15)


def test_county_confirms_after_payment(personas: dict[str, Any], household: Any, actor: Any) -> None:
    app = pay(actor(personas["tom"]), household("v11"))
    app = actions.review_after_payment(
        actor(personas["alice"]), app, confirmed=True, opinion="情况属实", on=dt.date(2020, 5, 12)
    )
    assert app.after_review_confirmed is True
    assert app.steps.get(step="after_review").data["overdue"] is False
    assert len(payable_events("2020-05")) == 1


def test_unconfirmed_emergency_is_no_longer_payable(personas: dict[str, Any], household: Any, actor: Any) -> None:
    app = pay(actor(personas["tom"]), household("v11"))
    actions.review_after_payment(
        actor(personas["alice"]), app, confirmed=False, opinion="经查未发生火灾", on=dt.date(2020, 5, 20)
    )
    assert payable_events("2020-05") == []
    assert app.steps.get(step="after_review").data["overdue"] is True


def test_after_review_happens_once(personas: dict[str, Any], household: Any, actor: Any) -> None:
    app = pay(actor(personas["tom"]), household("v11"))
    actions.review_after_payment(actor(personas["alice"]), app, confirmed=True, opinion="属实")
    with pytest.raises(ValidationError, match="已完成补办审核"):
        actions.review_after_payment(actor(personas["alice"]), app, confirmed=True, opinion="属实")


def test_only_a_township_pays_first(personas: dict[str, Any], household: Any, actor: Any) -> None:
    with pytest.raises(PermissionDenied, match="「村干部」不能进行「先行救助」"):
        pay(actor(personas["victor"]), household("v11"))


def test_township_cannot_pay_first_outside_its_township(personas: dict[str, Any], household: Any, actor: Any) -> None:
    with pytest.raises(PermissionDenied, match="无权操作该区域的数据"):
        pay(actor(personas["tom"]), household("v21"))


def test_payable_events_lists_approved_temporary_applications_only(
    personas: dict[str, Any], household: Any, actor: Any, walk: Any
) -> None:
    victor = actor(personas["victor"])
    pending = actions.create_application(
        victor,
        household("v11"),
        "temporary",
        kind="temporary",
        temporary_kind="expense",
        amount_due_fen=1_234_567,
        event_date=dt.date(2020, 4, 28),
        on=SUBMITTED,
    )
    assert payable_events("2020-04") == []
    walk(pending, "county_decision")
    [event] = payable_events("2020-04")
    assert (event["kind"], event["amount_due"], event["date"]) == ("expense", "12345.67", "2020-04-28")
    assert payable_events("2020-04", "141102002") == []
