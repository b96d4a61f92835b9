"""POLICY.md §8's case from the seeds: 交口 穆小军's household (5 persons, exited in 2018) — a 2019 accident left
him paraplegic → red 突发严重困难. Monitoring starts with 2020-01, whose window is the whole of 2019
(2019-01-01 ≤ d < 2020-01-01): an accident on any 2019 day is counted, red whatever the income; and the
window slides, so the same accident is gone from the assessment of a month more than a year after it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.policy.monitoring import assess_document


def _mu(accident: str, **over: Any) -> dict[str, Any]:
    return {
        "id": "穆小军户",
        "category": "exited",
        "size": 5,
        "income_12m": "40000",  # 8 000 a person: above the monitoring line, no income flag
        "income_prev_year": "40000",
        "rigid_costs_12m": "0",
        "hospital_oop_12m": "0",
        "labour_capacity": True,
        "checks": {"schooling": True, "medical": True, "housing": True, "water": True},
        "events": [{"kind": "sudden_hardship", "date": accident}, {"kind": "severe_disability", "date": accident}],
    } | over


def _assess(month: dt.date, household: dict[str, Any]) -> tuple[list[str], str | None]:
    (a,) = assess_document({"households": [household]}, month)
    return list(a.flags), a.level


@pytest.mark.parametrize("accident", ["2019-01-01", "2019-07-15", "2019-12-31"])
def test_a_2019_accident_is_red_sudden_hardship_in_january_2020(accident: str) -> None:
    assert _assess(dt.date(2020, 1, 1), _mu(accident)) == (["severe_disability", "sudden_hardship"], "red")


def test_the_same_accident_leaves_the_window_after_twelve_months() -> None:
    assert _assess(dt.date(2020, 7, 1), _mu("2019-07-01")) == (["severe_disability", "sudden_hardship"], "red")
    assert _assess(dt.date(2020, 8, 1), _mu("2019-07-01")) == ([], None)


@pytest.mark.parametrize("check", ["schooling", "medical", "housing", "water"])
def test_each_failed_check_alone_is_red(check: str) -> None:
    checks = {"schooling": True, "medical": True, "housing": True, "water": True} | {check: False}
    assert _assess(dt.date(2020, 6, 1), _mu("2018-01-01", checks=checks)) == ([check], "red")


@pytest.mark.parametrize(
    ("over", "flags", "level"),
    [
        ({"hospital_oop_12m": "10000.01"}, ["hospital_oop"], "yellow"),
        ({"hospital_oop_12m": "10000.01", "rigid_costs_12m": "40000.01"}, ["rigid_costs", "hospital_oop"], "orange"),
        # income_low alone, 20 000.00 ≥ 4 000 × 5: yellow; one fen below the poverty line × 5: red
        ({"income_12m": "20000", "income_prev_year": "20000"}, ["income_low"], "yellow"),
        ({"income_12m": "19999.99", "income_prev_year": "19999.99"}, ["income_low"], "red"),
    ],
)
def test_levels_without_a_red_flag(over: dict[str, Any], flags: list[str], level: str) -> None:
    assert _assess(dt.date(2020, 6, 1), _mu("2018-01-01", **over)) == (flags, level)
