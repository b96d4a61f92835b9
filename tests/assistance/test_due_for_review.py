"""due_for_review: the yearly 低保 re-check, or a registry change since the last decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.assistance import actions
from jingzhun.assistance.queries import due_for_review
from jingzhun.core.actions import Actor
from jingzhun.registry.actions import set_person_income, update_person

pytestmark = pytest.mark.django_db
SOON = dt.date(2020, 8, 1)


@pytest.fixture
def home(poor: Any, county: Any) -> Any:
    home = poor("v11")
    actions.approve_eligible(county, "2020-06")
    return home


def households(as_of: dt.date, prefix: str = "") -> list[int]:
    return [e.household_id for e in due_for_review(as_of, prefix)]


def test_yearly_review_falls_due_twelve_months_after_the_start(home: Any) -> None:
    assert households(dt.date(2021, 5, 31)) == []
    assert households(dt.date(2021, 6, 1)) == [home.pk]


def test_a_member_change_makes_it_due_at_once(home: Any) -> None:
    update_person(Actor.system("test"), home.persons.first(), labour="none")
    assert households(SOON) == [home.pk]


def test_an_income_change_makes_it_due_at_once(home: Any) -> None:
    set_person_income(Actor.system("test"), home.persons.first(), 2020, wages_fen=50_000)
    assert households(SOON) == [home.pk]


def test_a_new_decision_clears_it(home: Any, county: Any) -> None:
    set_person_income(Actor.system("test"), home.persons.first(), 2020, wages_fen=50_000)
    actions.record_change_of_circumstances(county, home, reason="新增收入", month=dt.date(2020, 9, 1))
    assert households(SOON) == []


def test_scoped_by_region(home: Any) -> None:
    assert households(dt.date(2021, 6, 1), "141102002") == []
