"""The surveyed income spread over members' income rows: exact to the fen, shares kept."""

from __future__ import annotations

import pytest

from jingzhun.policy.income_scale import SOURCES, scale_incomes


def _total(rows: dict[str, dict[str, int]]) -> int:
    return sum(sum(r.values()) for r in rows.values())


def test_shares_of_the_registered_year_are_kept_and_the_parts_add_up_to_the_fen() -> None:
    base = {"a": {"wages_fen": 3_000_000, "farming_fen": 845_900}, "b": {"farming_fen": 1_000_000}}
    out = scale_incomes(base, 240_001, ["a", "b", "c"])
    assert _total(out) == 240_001
    assert out["a"]["wages_fen"] > out["a"]["farming_fen"] > 0 and out["b"]["farming_fen"] > 0
    assert out["c"] == dict.fromkeys(SOURCES, 0) and out["b"]["wages_fen"] == 0


def test_zero_survey_clears_every_source_and_no_registered_income_goes_to_the_head() -> None:
    assert _total(scale_incomes({"a": {"wages_fen": 500}}, 0, ["a"])) == 0
    out = scale_incomes({}, 240_000, ["head", "child"])
    assert out["head"]["wages_fen"] == 240_000 and _total(out) == 240_000


def test_negative_income_or_no_member_is_refused() -> None:
    with pytest.raises(ValueError, match="不能为负数"):
        scale_incomes({}, -1, ["a"])
    with pytest.raises(ValueError, match="没有在册成员"):
        scale_incomes({}, 1, [])
