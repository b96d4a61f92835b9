"""脱贫不脱政策: an exited household keeps its enrollments through the transition period, not after."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from jingzhun.assistance.actions import approve_eligible, keep_policies_through_transition
from jingzhun.assistance.models import Enrollment
from jingzhun.assistance.queries import active_enrollments

pytestmark = pytest.mark.django_db

EXITED = {"registered_year": 2016, "status": "exited_supported", "status_date": dt.date(2019, 12, 1)}


def test_exited_household_keeps_its_enrollment_until_the_end_of_the_transition(poor: Any, county: Any) -> None:
    home = poor("v11", **EXITED)
    approve_eligible(county, "2020-06")
    [kept] = keep_policies_through_transition(
        county, home, until=dt.date(2020, 12, 31), reason="脱贫不脱政策，过渡期至 2020 年底", on=dt.date(2020, 6, 10)
    )
    assert kept.transition_until == dt.date(2020, 12, 31)
    assert kept.decisions.latest("id").kind == "transition"
    assert active_enrollments("2020-12")["household_pk"].to_list() == [home.pk]
    assert active_enrollments("2021-01").is_empty()


def test_household_not_exited_is_refused(poor: Any, county: Any) -> None:
    home = poor("v11", registered_year=2016, status="not_exited", status_date=dt.date(2017, 1, 1))
    approve_eligible(county, "2020-06")
    with pytest.raises(ValidationError, match="户状态为「未脱贫」，不是已脱贫（享受政策）"):
        keep_policies_through_transition(county, home, until=dt.date(2020, 12, 31), reason="过渡期")
    assert Enrollment.objects.get(household=home).transition_until is None


def test_the_date_kept_until_lies_within_five_years_of_the_exit(poor: Any, county: Any) -> None:
    """Reviewer M5: 保留政策至 had no upper bound and could precede the exit."""
    home = poor("v11", **EXITED)
    approve_eligible(county, "2020-06")
    keep = keep_policies_through_transition
    with pytest.raises(ValidationError, match=r"保留政策至（2019-11-30）不能早于该户脱贫日期（2019-12-01）"):
        keep(county, home, until=dt.date(2019, 11, 30), reason="过渡期", on=dt.date(2020, 6, 10))
    with pytest.raises(
        ValidationError, match=r"保留政策至（2025-01-01）不能晚于脱贫（2019 年）后 5 年过渡期的末日（2024-12-31）"
    ):
        keep(county, home, until=dt.date(2025, 1, 1), reason="过渡期", on=dt.date(2020, 6, 10))
    with pytest.raises(ValidationError, match=r"办理日期（2099-01-01）不能晚于今天"):
        keep(county, home, until=dt.date(2020, 12, 31), reason="过渡期", on=dt.date(2099, 1, 1))
    assert Enrollment.objects.get(household=home).transition_until is None
    [kept] = keep(county, home, until=dt.date(2024, 12, 31), reason="过渡期", on=dt.date(2020, 6, 10))
    assert kept.transition_until == dt.date(2024, 12, 31)
