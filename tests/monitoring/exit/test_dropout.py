"""A child marked 辍学 is not in school for the exit check over the database (POLICY.md §8: every member aged
6–15 "has in_school or school_exempt_health"), whatever the stale 在校情况 still says — as 返贫预警's
schooling check reads it; 因病免学 still counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from jingzhun.monitoring.exit.check import check_household_db
from jingzhun.registry.models import Household, Person

pytestmark = pytest.mark.django_db
SAFE = {
    "water_litres_per_day": Decimal("40"),
    "water_fetch_minutes": 10,
    "water_days_without": 0,
    "water_quality_ok": True,
    "water_dry_area": False,
}


@pytest.fixture
def with_child(world: Any) -> tuple[Household, Person]:
    h = world["own_other"]
    Household.objects.filter(pk=h.pk).update(**SAFE)
    child = Person.objects.filter(household=h).order_by("id").first()
    assert child is not None
    Person.objects.filter(pk=child.pk).update(birth_date=dt.date(2010, 3, 1), student="compulsory")  # 10 in 2020
    return h, child


def test_a_marked_dropout_fails_schooling_although_its_school_field_says_compulsory(
    with_child: tuple[Household, Person],
) -> None:
    h, child = with_child
    assert "schooling" not in check_household_db(h, 2020).failed
    Person.objects.filter(pk=child.pk).update(dropout=True)
    assert "schooling" in check_household_db(h, 2020).failed
    Person.objects.filter(pk=child.pk).update(school_exempt_health=True)
    assert "schooling" not in check_household_db(h, 2020).failed
