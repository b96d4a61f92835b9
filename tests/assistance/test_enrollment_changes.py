"""Suspending, resuming and ending an enrolment: always with a reason, exact to the month."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingzhun.assistance import actions
from jingzhun.assistance.models import Enrollment
from jingzhun.assistance.queries import active_enrollments

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(poor: Any, county: Any) -> Enrollment:
    home = poor("v11")
    actions.approve_eligible(county, "2020-01")
    return Enrollment.objects.get(household=home)


def paid(months: list[str]) -> list[int]:
    return [len(active_enrollments(m)) for m in months]


def test_end_pays_through_the_last_month_and_not_after(enrolled: Enrollment, county: Any) -> None:
    e = actions.end_enrollment(county, enrolled, reason="户主外出务工，收入超标", last_month=dt.date(2020, 4, 1))
    assert (e.status, e.end_month) == ("ended", dt.date(2020, 4, 1))
    assert paid(["2020-04", "2020-05"]) == [1, 0]
    assert e.decisions.latest("id").kind == "end"


def test_end_needs_a_reason(enrolled: Enrollment, county: Any) -> None:
    with pytest.raises(ValidationError, match=r"须填写理由 \[reason\]"):
        actions.end_enrollment(county, enrolled, reason="")


def test_suspension_and_resumption_leave_the_suspended_months_unpaid(enrolled: Enrollment, county: Any) -> None:
    actions.suspend_enrollment(county, enrolled, reason="联系不上，待核实", from_month=dt.date(2020, 3, 1))
    resumed = actions.resume_enrollment(county, enrolled, reason="已核实在家", from_month=dt.date(2020, 5, 1))
    assert paid(["2020-02", "2020-03", "2020-04", "2020-05"]) == [1, 0, 0, 1]
    assert resumed.status == "active" and resumed.start_month == dt.date(2020, 5, 1)
    enrolled.refresh_from_db()
    assert (enrolled.status, enrolled.end_month) == ("ended", dt.date(2020, 2, 1))


def test_suspending_twice_is_refused(enrolled: Enrollment, county: Any) -> None:
    actions.suspend_enrollment(county, enrolled, reason="待核实")
    with pytest.raises(ValidationError, match="当前状态为「暂停」，不能暂停"):
        actions.suspend_enrollment(county, enrolled, reason="待核实")


def test_village_cadre_cannot_end_an_enrolment(enrolled: Enrollment, personas: dict[str, Any], actor: Any) -> None:
    with pytest.raises(PermissionDenied, match="「村干部」不能进行「停止救助」"):
        actions.end_enrollment(actor(personas["victor"]), enrolled, reason="收入超标")
