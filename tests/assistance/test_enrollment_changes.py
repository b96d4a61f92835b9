"""Suspending, resuming and ending an enrollment: always with a reason, exact to the month."""

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


def test_village_cadre_cannot_end_an_enrollment(enrolled: Enrollment, personas: dict[str, Any], actor: Any) -> None:
    with pytest.raises(PermissionDenied, match="「村干部」不能进行「停止救助」"):
        actions.end_enrollment(actor(personas["victor"]), enrolled, reason="收入超标")


def test_a_change_month_lies_between_the_enrollments_start_and_next_month(enrolled: Enrollment, county: Any) -> None:
    """Reviewer M5: the months of 暂停 / 恢复 / 停止享受 / 情况变化复核 had no bounds (2099 was accepted)."""
    later = dt.date(2099, 1, 1)
    for call, text in [
        (lambda m: actions.suspend_enrollment(county, enrolled, reason="待核实", from_month=m), "暂停起始月份"),
        (lambda m: actions.end_enrollment(county, enrolled, reason="收入超标", last_month=m), "最后发放月份"),
        (
            lambda m: actions.record_change_of_circumstances(county, enrolled.household, reason="复核", month=m),
            "重新核算月份",
        ),
    ]:
        with pytest.raises(ValidationError, match=rf"{text}（2099-01）不能晚于下个月") as caught:
            call(later)
        assert list(caught.value.message_dict) == ["month"]
    with pytest.raises(ValidationError, match=r"暂停起始月份（2019-12）不能早于享受起始月份（2020-01）"):
        actions.suspend_enrollment(county, enrolled, reason="待核实", from_month=dt.date(2019, 12, 1))
    with pytest.raises(ValidationError, match=r"最后发放月份（2019-11）不能早于享受起始月份的上一个月（2019-12）"):
        actions.end_enrollment(county, enrolled, reason="收入超标", last_month=dt.date(2019, 11, 1))
    with pytest.raises(ValidationError, match=r"重新核算月份（2019-12）不能早于在册救助的享受起始月份（2020-01）"):
        actions.record_change_of_circumstances(county, enrolled.household, reason="复核", month=dt.date(2019, 12, 1))
    enrolled.refresh_from_db()
    assert (enrolled.status, enrolled.decisions.count()) == ("active", 1)
    actions.suspend_enrollment(county, enrolled, reason="待核实", from_month=dt.date(2020, 3, 1))
    with pytest.raises(ValidationError, match=r"恢复发放月份（2099-01）不能晚于下个月"):
        actions.resume_enrollment(county, enrolled, reason="已核实", from_month=later)
