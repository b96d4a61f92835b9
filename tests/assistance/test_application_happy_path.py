"""A new 低保 application from the village to an active enrollment, one audit row per step."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.assistance import actions
from jingzhun.assistance.models import ApplicationStep, Enrollment
from jingzhun.assistance.queries import active_enrollments
from jingzhun.core.models import AuditEvent

SUBMITTED = dt.date(2020, 5, 1)  # before every step of the walk (2020-05-04 on)

pytestmark = pytest.mark.django_db


def test_new_dibao_application_ends_in_an_active_enrollment_from_the_next_month(
    personas: dict[str, Any], household: Any, actor: Any, walk: Any
) -> None:
    home = household("v11")
    app = actions.create_application(
        actor(personas["victor"]), home, "dibao", statement="无劳动收入", on=dt.date(2020, 5, 1)
    )
    assert app.created_via == "village"
    app = walk(app, "county_decision")

    assert app.status == "approved"
    enrollment = Enrollment.objects.get(household=home, family="dibao")
    assert (enrollment.status, enrollment.source, enrollment.application) == ("active", "application", app)
    assert enrollment.start_month == dt.date(2020, 6, 1)
    assert enrollment.next_review_due == dt.date(2021, 6, 1)
    decision = enrollment.decisions.get()
    assert decision.kind == "approve"
    assert decision.monthly_fen > 0 and "dibao" in decision.entitlement
    assert active_enrollments("2020-05").is_empty()
    assert active_enrollments("2020-06")["household_pk"].to_list() == [home.pk]


def test_every_step_is_recorded_with_its_data_and_one_audit_row(
    personas: dict[str, Any], household: Any, actor: Any, walk: Any
) -> None:
    app = actions.create_application(actor(personas["victor"]), household("v11"), "dibao", on=dt.date(2020, 5, 1))
    walk(app, "county_decision")

    steps = list(ApplicationStep.objects.filter(application=app).values_list("step", "actor_label"))
    assert steps == [
        ("created", "victor"),
        ("survey", "victor"),
        ("democratic_review", "victor"),
        ("notice_start", "victor"),
        ("notice_finish", "victor"),
        ("township_review", "tom"),
        ("county_decision", "alice"),
    ]
    audits = list(
        AuditEvent.objects.filter(object_type="application", object_id=str(app.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert audits == [
        "application_created",
        "application_survey",
        "application_democratic_review",
        "application_notice_start",
        "application_notice_finish",
        "application_township_review",
        "application_county_decision",
    ]
    data = {s.step: s.data for s in app.steps.all()}
    registry = {"year": 2020, "before_year": None, "before_fen": 0, "after_fen": 0, "rows": 0}  # nothing registered
    assert data["survey"]["income_check"] == {"annual_income_fen": 0, "verified": True, "registry": registry}
    assert data["democratic_review"] | {} == {
        "date": "2020-05-04",
        "attendees": 21,
        "votes_for": 19,
        "votes_against": 1,
        "passed": True,
        "note": "",
    }
    assert data["notice_start"]["start_date"] == "2020-05-06"
    assert data["notice_start"]["end_date"] == "2020-05-12"
    assert data["county_decision"]["start_month"] == "2020-06-01"


def test_county_window_application_is_marked_as_taken_at_the_window(
    personas: dict[str, Any], household: Any, actor: Any
) -> None:
    app = actions.create_application(actor(personas["alice"]), household("v21"), "tekun", on=SUBMITTED)
    assert app.created_via == "window"


def test_approval_may_name_its_start_month(personas: dict[str, Any], household: Any, actor: Any, walk: Any) -> None:
    home = household("v11")
    app = walk(actions.create_application(actor(personas["victor"]), home, "dibao", on=SUBMITTED), "township_review")
    actions.county_decide(actor(personas["alice"]), app, approve=True, start_month=dt.date(2020, 9, 15))
    assert Enrollment.objects.get(household=home).start_month == dt.date(2020, 9, 1)


def test_second_new_application_for_an_enrolled_family_is_refused(
    personas: dict[str, Any], household: Any, actor: Any, walk: Any
) -> None:
    home = household("v11")
    walk(actions.create_application(actor(personas["victor"]), home, "dibao", on=SUBMITTED), "county_decision")
    with pytest.raises(Exception, match="已是最低生活保障（低保）在册对象"):
        actions.create_application(actor(personas["victor"]), home, "dibao", on=SUBMITTED)


def test_a_review_application_re_decides_the_open_enrollment(
    personas: dict[str, Any], household: Any, actor: Any, walk: Any
) -> None:
    home = household("v11")
    victor = actor(personas["victor"])
    walk(actions.create_application(victor, home, "dibao", on=SUBMITTED), "county_decision")
    walk(actions.create_application(victor, home, "dibao", kind="review", on=SUBMITTED), "county_decision")
    enrollment = Enrollment.objects.get(household=home)
    assert list(enrollment.decisions.values_list("kind", flat=True)) == ["approve", "continue"]
