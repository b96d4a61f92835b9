"""active_enrollments: which households the ledger may pay in a month, by family."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from django.utils import timezone

from jingzhun.assistance.models import Enrollment
from jingzhun.assistance.queries import active_enrollments

pytestmark = pytest.mark.django_db


def enrol(home: Any, family: str = "dibao", start: dt.date = dt.date(2020, 3, 1), **fields: Any) -> Enrollment:
    return Enrollment.objects.create(
        household=home,
        family=family,
        start_month=start,
        source="initial_roll",
        next_review_due=start.replace(year=start.year + 1),
        last_decided_at=timezone.now(),
        **fields,
    )


def test_columns_and_types_are_the_ledger_contract(household: Any) -> None:
    home = household()
    enrol(home)
    frame = active_enrollments("2020-03")
    assert frame.schema == pl.Schema({"household_pk": pl.Int64, "household_no": pl.Utf8, "family": pl.Utf8})
    assert frame.to_dicts() == [{"household_pk": home.pk, "household_no": home.household_no, "family": "dibao"}]


def test_empty_month_is_an_empty_frame_with_the_same_columns(db: None) -> None:
    frame = active_enrollments("2020-03")
    assert frame.is_empty()
    assert frame.columns == ["household_pk", "household_no", "family"]


def test_enrollment_pays_from_its_start_month_to_its_end_month_inclusive(household: Any) -> None:
    enrol(household(), start=dt.date(2020, 3, 1), end_month=dt.date(2020, 5, 1), status="ended")
    assert [len(active_enrollments(m)) for m in ("2020-02", "2020-03", "2020-05", "2020-06")] == [0, 1, 1, 0]


def test_suspended_enrollment_stops_from_its_suspension_month(household: Any) -> None:
    enrol(household(), start=dt.date(2020, 1, 1), status="suspended", suspended_from=dt.date(2020, 4, 1))
    assert [len(active_enrollments(m)) for m in ("2020-03", "2020-04", "2020-09")] == [1, 0, 0]


def test_transition_keeps_enrollment_until_transition_until_and_not_after(household: Any) -> None:
    enrol(household(status="exited_supported"), start=dt.date(2019, 1, 1), transition_until=dt.date(2020, 12, 31))
    assert [len(active_enrollments(m)) for m in ("2020-12", "2021-01")] == [1, 0]


def test_region_prefix_limits_to_the_villages_below_it(household: Any) -> None:
    enrol(household("v11"))
    enrol(household("v21"))
    enrol(household("v91"))
    assert len(active_enrollments("2020-03")) == 3
    assert len(active_enrollments("2020-03", "141102")) == 2
    assert len(active_enrollments("2020-03", "141102001")) == 1


def test_one_row_per_household_and_family(household: Any) -> None:
    home = household()
    enrol(home, "dibao")
    enrol(home, "disability_care")
    frame = active_enrollments("2020-03")
    assert frame["family"].to_list() == ["dibao", "disability_care"]


def test_closed_household_is_not_paid(household: Any) -> None:
    home = household()
    enrol(home)
    home.active = False
    home.save()
    assert active_enrollments("2020-03").is_empty()


def test_bad_month_is_refused_in_chinese(db: None) -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        active_enrollments("2020-3")


def test_query_count_does_not_grow_with_households(household: Any, django_assert_num_queries: Any) -> None:
    for _ in range(5):
        enrol(household())
    with django_assert_num_queries(1):
        active_enrollments("2020-03")
