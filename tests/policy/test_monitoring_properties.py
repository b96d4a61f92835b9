"""Property tests of the 返贫预警 assessment: flags are unique and in POLICY.md's order, the level follows the
flags, registered households are never flagged, and more income never adds an income flag."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from jingzhun.policy.check_fields import CheckInputError
from jingzhun.policy.money import fen_to_str
from jingzhun.policy.monitoring import (
    CHECKS,
    EVENT_KINDS,
    FLAGS,
    RED_FLAGS,
    assess_document,
)
from jingzhun.policy.monitoring_input import parse_monitoring_document

MONTHS = st.dates(dt.date(2020, 1, 1), dt.date(2022, 12, 1)).map(lambda d: d.replace(day=1))
MONEY = st.integers(0, 5_000_000).map(fen_to_str)
EVENTS = st.lists(
    st.fixed_dictionaries(
        {"kind": st.sampled_from(EVENT_KINDS), "date": st.dates(dt.date(2018, 1, 1), dt.date(2023, 1, 1))}
    ),
    max_size=6,
)
HOUSEHOLDS = st.fixed_dictionaries(
    {
        "id": st.just("H"),
        "category": st.sampled_from(("exited", "marginal", "registered", "other")),
        "size": st.integers(1, 8),
        "income_12m": MONEY,
        "income_prev_year": MONEY,
        "rigid_costs_12m": MONEY,
        "hospital_oop_12m": MONEY,
        "labour_capacity": st.booleans(),
        "checks": st.fixed_dictionaries({check: st.booleans() for check in CHECKS}),
        "events": EVENTS,
    }
)


def _assess(household: dict[str, Any], month: dt.date) -> tuple[tuple[str, ...], str | None]:
    (result,) = assess_document({"households": [household]}, month)
    return result.flags, result.level


@settings(max_examples=300, deadline=None)
@given(HOUSEHOLDS, MONTHS)
def test_flags_are_ordered_and_the_level_follows_them(household: dict[str, Any], month: dt.date) -> None:
    flags, level = _assess(household, month)
    assert list(flags) == sorted(set(flags), key=FLAGS.index)
    assert (level is None) == (not flags)
    if RED_FLAGS & set(flags):
        assert level == "red"
    if level in ("orange", "yellow"):
        assert level == ("orange" if len(flags) >= 2 else "yellow")
    if household["category"] == "registered":
        assert flags == ()
    if household["category"] == "other":
        assert set(flags) <= {"sudden_hardship"}


@settings(max_examples=200, deadline=None)
@given(HOUSEHOLDS, MONTHS, st.integers(1, 10_000_000))
def test_more_income_never_adds_an_income_flag(household: dict[str, Any], month: dt.date, extra_fen: int) -> None:
    before, _ = _assess(household, month)
    richer = household | {"income_12m": fen_to_str(int(household["income_12m"].replace(".", "")) + extra_fen)}
    after, _ = _assess(richer, month)
    assert {"income_low", "income_drop"} & set(after) <= {"income_low", "income_drop"} & set(before)


ODD_VALUES = (
    None,
    1.5,
    -1,
    0,
    "x",
    True,
    "",
    [],
    {},
    "2019-02-30",
    "1.234",
    "-1",
    "12.5",
    7,
    " 12",
    dt.date(2020, 1, 1),
    "registered",
    "disaster",
)
PLACE_LIST: tuple[tuple[Any, ...], ...] = (
    *(
        (key,)
        for key in (
            "id",
            "category",
            "size",
            "income_12m",
            "income_prev_year",
            "rigid_costs_12m",
            "hospital_oop_12m",
            "labour_capacity",
            "checks",
            "events",
        )
    ),
    *(("checks", key) for key in CHECKS),
    ("events", 0),
    ("events", 0, "kind"),
    ("events", 0, "date"),
    ("events", 0, "extra"),
)


def _corrupt(doc: dict[str, Any], household: int, place: tuple[Any, ...], value: Any) -> None:
    target: Any = doc["households"][household]
    for step in place[:-1]:
        if (isinstance(target, dict) and step in target) or (isinstance(target, list) and step < len(target)):
            target = target[step]
        else:
            return
    if isinstance(target, dict):
        if value == "<delete>":
            target.pop(place[-1], None)
        else:
            target[place[-1]] = value
    elif isinstance(target, list) and place[-1] < len(target):
        target[place[-1]] = value


def test_every_single_corruption_is_treated_alike_by_the_fast_and_the_checked_path() -> None:
    """Each field of a valid two-household document replaced by each odd value (or deleted), one at a time."""
    base = {
        "households": [
            {
                "id": "H1",
                "category": "exited",
                "size": 2,
                "income_12m": "14000",
                "income_prev_year": "14000",
                "rigid_costs_12m": "0",
                "hospital_oop_12m": "0",
                "labour_capacity": True,
                "checks": dict.fromkeys(CHECKS, True),
                "events": [{"kind": "disaster", "date": "2020-01-01"}],
            },
            {
                "id": "H2",
                "category": "other",
                "size": 1,
                "income_12m": 1,
                "income_prev_year": "3.5",
                "rigid_costs_12m": "0.01",
                "hospital_oop_12m": "0",
                "labour_capacity": False,
                "checks": dict.fromkeys(CHECKS, False),
                "events": [],
            },
        ]
    }
    for household in (0, 1):
        for place in PLACE_LIST:
            for value in (*ODD_VALUES, "<delete>"):
                doc = copy.deepcopy(base)
                _corrupt(doc, household, place, value)
                outcomes: list[Any] = []
                for fast in (True, False):
                    try:
                        outcomes.append(parse_monitoring_document(doc, fast=fast))
                    except CheckInputError as exc:
                        outcomes.append(sorted(exc.errors))
                assert outcomes[0] == outcomes[1], (household, place, value)
