"""Property tests of the exit check: `failed` is unique and in POLICY.md's order, exit_ok is exactly "nothing
failed", and the income criterion turns at exactly line × members, to the fen."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from jingzhun.policy.exit_check import CRITERIA, check_exit_document
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
