"""Property tests of the exit check: `failed` is unique and in POLICY.md's order, exit_ok is exactly "nothing
failed", and the income criterion turns at exactly line × members, to the fen."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from jingzhun.policy.check_fields import CheckInputError
from jingzhun.policy.exit_check import CRITERIA, check_exit_document, rules_cache
from jingzhun.policy.exit_input import WATER_FIELDS, parse_exit_document
from jingzhun.policy.money import fen_to_str
from jingzhun.policy.params import load_parameters

LINE_FEN = {2016: 295200, 2017: 295200, 2018: 299500, 2019: 321800, 2020: 400000}
MEMBERS = st.lists(
    st.fixed_dictionaries(
        {
            "birth_date": st.dates(dt.date(1940, 1, 1), dt.date(2020, 12, 31)),
            "in_school": st.booleans(),
            "school_exempt_health": st.booleans(),
            "medical_insured": st.booleans(),
        }
    ),
    min_size=1,
    max_size=6,
)
WATER = st.fixed_dictionaries(
    {
        "litres_per_day": st.integers(0, 80).map(str),
        "fetch_minutes": st.integers(0, 60),
        "days_without_water": st.integers(0, 90),
        "quality_ok": st.booleans(),
        "dry_area": st.booleans(),
    }
)


def _household(members: list[dict[str, Any]], income_fen: int, grade: str, keys: bool, water: Any) -> Any:
    numbered = [{"id": f"P{i}"} | m for i, m in enumerate(members)]
    return {
        "id": "H",
        "region": "141130",
        "annual_income": fen_to_str(income_fen),
        "housing_grade": grade,
        "relocated_keys": keys,
        "water": water,
        "members": numbered,
    }


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(LINE_FEN)),
    MEMBERS,
    st.integers(0, 10_000_000),
    st.sampled_from("ABCD"),
    st.booleans(),
    WATER,
)
def test_failed_is_ordered_and_exit_ok_means_nothing_failed(
    year: int, members: list[dict[str, Any]], income: int, grade: str, keys: bool, water: Any
) -> None:
    (result,) = check_exit_document({"households": [_household(members, income, grade, keys, water)]}, year)
    assert list(result.failed) == sorted(set(result.failed), key=CRITERIA.index)
    assert result.exit_ok == (not result.failed)
    assert ("water" in result.failed) <= (year >= 2019)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(LINE_FEN)), MEMBERS, st.sampled_from((-1, 0, 1)))
def test_income_turns_at_exactly_the_line_times_members(year: int, members: list[dict[str, Any]], fen: int) -> None:
    income = LINE_FEN[year] * len(members) + fen
    doc = {"households": [_household(members, income, "A", False, None)]}
    if year >= 2019:
        doc["households"][0]["water"] = {
            "litres_per_day": "40",
            "fetch_minutes": 0,
            "days_without_water": 0,
            "quality_ok": True,
            "dry_area": False,
        }
    (result,) = check_exit_document(doc, year, load_parameters())
    assert ("income" in result.failed) == (fen <= 0)


WATER_KEYS = tuple(WATER_FIELDS)
ODD_VALUES = (
    None,
    1.5,
    -1,
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
    "141100",
    " 12",
    dt.date(2010, 1, 1),
)
PLACE_LIST: tuple[tuple[Any, ...], ...] = (
    *((key,) for key in ("id", "region", "annual_income", "housing_grade", "relocated_keys", "water", "members")),
    *(("water", key) for key in WATER_KEYS),
    *(("members", 0, key) for key in ("id", "birth_date", "in_school", "school_exempt_health", "medical_insured")),
    ("members", 0),
)
ODD = st.sampled_from(ODD_VALUES)
PLACES = st.sampled_from(PLACE_LIST)
CORRUPTIONS = st.lists(st.tuples(st.integers(0, 2), PLACES, st.one_of(ODD, st.just("<delete>"))), max_size=2)


def _water_checked(year: int) -> Callable[[str], bool]:
    rules_of = rules_cache(load_parameters(), year)
    return lambda region: rules_of(region).water is not None


def _corrupt(doc: dict[str, Any], household: int, place: tuple[Any, ...], value: Any) -> None:
    target: Any = doc["households"][household % len(doc["households"])]
    for step in place[:-1]:
        if not isinstance(target, dict | list) or (isinstance(target, dict) and step not in target):
            return
        if isinstance(target, list) and step >= len(target):
            return
        target = target[step]
    if isinstance(target, dict):
        if value == "<delete>":
            target.pop(place[-1], None)
        else:
            target[place[-1]] = value
    elif isinstance(target, list) and isinstance(place[-1], int) and place[-1] < len(target):
        target[place[-1]] = value


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from((2018, 2019)),
    st.lists(
        st.tuples(MEMBERS, st.integers(0, 10**6), st.sampled_from("ABCD"), st.booleans(), WATER), min_size=1, max_size=3
    ),
    CORRUPTIONS,
    st.booleans(),
)
def test_the_fast_path_accepts_only_what_the_checked_path_accepts(
    year: int, drawn: list[Any], corruptions: list[Any], shared_member: bool
) -> None:
    households = [_household(*args) for args in drawn]
    for i, h in enumerate(households):
        h["id"] = f"H{i}"
        for m in h["members"]:
            m["id"] = f"H{i}{m['id']}" if not (shared_member and i == 1) else m["id"]  # a member id used twice
    doc = {"households": households}
    for household, place, value in corruptions:
        _corrupt(doc, household, place, value)
    water_checked = _water_checked(year)
    outcomes = []
    for fast in (True, False):
        try:
            outcomes.append(parse_exit_document(copy.deepcopy(doc), year, water_checked, fast=fast))
        except CheckInputError as exc:
            outcomes.append(sorted(exc.errors))
    assert outcomes[0] == outcomes[1]


def test_every_single_corruption_is_treated_alike_by_both_paths() -> None:
    """Each field of a valid two-household document replaced by each odd value (or deleted), one at a time."""
    base = {
        "households": [
            _household(
                [
                    {
                        "birth_date": dt.date(2010, 1, 1),
                        "in_school": True,
                        "school_exempt_health": False,
                        "medical_insured": True,
                    }
                ],
                900_000,
                "A",
                False,
                {
                    "litres_per_day": "40",
                    "fetch_minutes": 5,
                    "days_without_water": 3,
                    "quality_ok": True,
                    "dry_area": False,
                },
            ),
            _household(
                [
                    {
                        "birth_date": dt.date(1970, 1, 1),
                        "in_school": False,
                        "school_exempt_health": False,
                        "medical_insured": True,
                    }
                ],
                900_000,
                "C",
                True,
                None,
            ),
        ]
    }
    base["households"][1]["id"], base["households"][1]["members"][0]["id"] = "H2", "Q0"
    for year in (2018, 2019):
        water_checked = _water_checked(year)
        for household in (0, 1):
            for place in PLACE_LIST:
                for value in (*ODD_VALUES, "<delete>"):
                    doc = copy.deepcopy(base)
                    _corrupt(doc, household, place, value)
                    outcomes = []
                    for fast in (True, False):
                        try:
                            outcomes.append(parse_exit_document(doc, year, water_checked, fast=fast))
                        except CheckInputError as exc:
                            outcomes.append(sorted(exc.errors))
                    assert outcomes[0] == outcomes[1], (year, household, place, value)
