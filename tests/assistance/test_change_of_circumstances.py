"""情况变化: the entitlement is recomputed and each enrollment continues, changes or ends."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.assistance import actions
from jingzhun.assistance.models import Enrollment
from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.registry.actions import set_person_income

pytestmark = pytest.mark.django_db
JULY = dt.date(2020, 7, 1)


@pytest.fixture
def home(poor: Any, county: Any) -> Any:
    home = poor("v11")
    actions.approve_eligible(county, "2020-06")
    return home


def earn(home: Any, fen: int) -> None:
    set_person_income(Actor.system("test"), home.persons.first(), 2019, wages_fen=fen)


def test_nothing_changed_continues(home: Any, county: Any) -> None:
    [decision] = actions.record_change_of_circumstances(county, home, reason="年度复核", month=JULY)
    assert decision.kind == "continue"
    assert decision.enrollment.next_review_due == dt.date(2021, 7, 1)


def test_some_income_changes_the_amount(home: Any, county: Any) -> None:
    before = Enrollment.objects.get(household=home).decisions.get().monthly_fen
    earn(home, 120_000)
    [decision] = actions.record_change_of_circumstances(county, home, reason="新增务工收入", month=JULY)
    assert decision.kind == "change"
    assert decision.monthly_fen == before - 10_000


def test_income_above_the_standard_ends_the_enrollment_from_that_month(home: Any, county: Any) -> None:
    earn(home, 10_000_000)
    [decision] = actions.record_change_of_circumstances(county, home, reason="收入超标", month=JULY)
    assert decision.kind == "end" and decision.monthly_fen == 0
    enrollment = decision.enrollment
    assert (enrollment.status, enrollment.end_month) == ("ended", dt.date(2020, 6, 1))
    audit = AuditEvent.objects.get(action="enrollment_change_of_circumstances")
    assert audit.after["decisions"] == {"dibao": {"decision": "end", "monthly_fen": 0}}


def test_exited_household_in_transition_continues_though_it_no_longer_qualifies(poor: Any, county: Any) -> None:
    home = poor("v11", registered_year=2016, status="exited_supported", status_date=dt.date(2019, 12, 1))
    actions.approve_eligible(county, "2020-06")
    actions.keep_policies_through_transition(county, home, until=dt.date(2020, 12, 31), reason="过渡期")
    earn(home, 10_000_000)
    [decision] = actions.record_change_of_circumstances(county, home, reason="收入超标", month=JULY)
    assert decision.kind == "change"
    assert decision.enrollment.status == "active"
