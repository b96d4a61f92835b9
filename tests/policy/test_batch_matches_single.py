"""The Polars batch engine gives the reference engine's lines to the fen, and fails the same households.

Random documents cover birthday boundaries (the 1st vs the 2nd of the month, 29 February), incomes at
and around n × the standard, disability grades, 特困 conditions, disqualification, CPI around both
thresholds, once-per-lifetime history, December (一保通) and regions/areas/months with no parameter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jingzhun.policy import regions
from jingzhun.policy.engine import compute_document, parse_month
from jingzhun.policy.engine_batch import compute_batch, compute_batch_with_errors
from jingzhun.policy.frames import document_to_frames, frames_to_document

MONTHS = ["2015-06", "2016-03", "2017-12", "2018-01", "2019-12", "2020-01", "2020-03", "2020-06", "2020-12", "2021-03"]
STANDARDS_FEN = [248_400, 281_900, 374_400, 485_300, 504_000]
AGES = [0, 15, 16, 17, 18, 59, 60, 61, 79, 80, 81, 99, 100]


def birth_dates(first: dt.date) -> st.SearchStrategy[dt.date]:
    boundary = st.builds(
        lambda age, day: dt.date(first.year - age, first.month, day),
        st.sampled_from(AGES),
        st.sampled_from([1, 2]),
    )
    leap = st.sampled_from([dt.date(y, 2, 29) for y in range(1920, first.year, 4) if y % 100 != 0 or y % 400 == 0])
    plain = st.dates(dt.date(1915, 1, 1), first)
    return st.one_of(boundary, leap.filter(lambda d: d <= first), plain)


@st.composite
def documents(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    month = draw(st.sampled_from(MONTHS))
    first = parse_month(month)
    households = []
    for h in range(draw(st.integers(1, 6))):
        size = draw(st.integers(1, 5))
        income = draw(
            st.one_of(
                st.integers(0, 3_000_000),
                st.builds(
                    lambda std, k, d: max(0, std * k + d),
                    st.sampled_from(STANDARDS_FEN),
                    st.integers(1, 5),
                    st.sampled_from([-13, -1, 0, 1, 6]),
                ),
            )
        )
        members = []
        for m in range(size):
            members.append(
                {
                    "id": f"H{h}P{m}",
                    "birth_date": draw(birth_dates(first)),
                    "disability_grade": draw(st.sampled_from([None, None, 1, 2, 3, 4])),
                    "disability_card_gen2": draw(st.booleans()),
                    "needs_long_term_care": draw(st.booleans()),
                    "disabled_elder_certified": draw(st.booleans()),
                    "self_care": draw(st.sampled_from(["full", "partial", "none"])),
                    "labour": draw(st.sampled_from(["full", "partial", "none"])),
                    "student": draw(st.sampled_from(["none", "compulsory"])),
                    "serious_illness": draw(st.booleans()),
                    "late_stage_major_disease": draw(st.booleans()),
                    "income_source": draw(st.booleans()),
                    "capable_supporter": draw(st.booleans()),
                    "care_setting": draw(st.sampled_from(["home", "institution"])),
                }
            )
        households.append(
            {
                "id": f"H{h}",
                "region": draw(st.sampled_from(list(regions.COUNTIES))),
                "area": draw(st.sampled_from(["rural", "rural", "rural", "urban"])),
                "registered_poor": draw(st.booleans()),
                "annual_income": f"{income // 100}.{income % 100:02d}",
                "disqualified": draw(st.sampled_from([[], [], [], ["vehicle"], ["business", "large_deposit"]])),
                "members": members,
            }
        )
    doc: dict[str, Any] = {"households": households}
    if draw(st.booleans()):
        doc["cpi"] = {
            month: {
                "all": draw(st.sampled_from(["3.4", "3.5", "5.2"])),
                "food": draw(st.sampled_from(["5.9", "6", "21.9"])),
            }
        }
    people = [m["id"] for h in households for m in h["members"]]
    paid = draw(st.lists(st.sampled_from(people), max_size=3))
    if paid:
        doc["history"] = {pid: ["major_illness_care"] for pid in paid}
    return doc, month


def single_lines(doc: dict[str, Any], month: str) -> tuple[list[tuple[Any, ...]], list[tuple[str, str]]]:
    result = compute_document(doc, month)
    lines = sorted((h.id, line.program, line.member, line.amount_fen) for h in result.households for line in h.lines)
    errors = [(h.id, message) for h in result.households for message in [*h.errors, *h.program_errors]]
    return lines, errors


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_batch_equals_single_to_the_fen(case: tuple[dict[str, Any], str]) -> None:
    doc, month = case
    households, persons = document_to_frames(doc)
    batch = compute_batch_with_errors(households, persons, month, cpi=doc.get("cpi"), history=doc.get("history"))
    expected_lines, expected_errors = single_lines(doc, month)
    assert sorted(batch.lines.rows()) == expected_lines
    assert batch.errors.rows() == expected_errors


def test_persons_in_any_order_give_the_same_lines() -> None:
    doc = {
        "households": [
            {
                "id": hid,
                "region": "141130",
                "area": "rural",
                "registered_poor": True,
                "annual_income": "1200",
                "disqualified": [],
                "members": [
                    {
                        "id": f"{hid}P{i}",
                        "birth_date": dt.date(1938 + 20 * i, 1, 10),
                        "disability_grade": 2 if i == 1 else None,
                        "disability_card_gen2": i == 1,
                        "needs_long_term_care": True,
                        "disabled_elder_certified": False,
                        "self_care": "full",
                        "labour": "partial",
                        "student": "none",
                        "serious_illness": False,
                        "late_stage_major_disease": False,
                        "income_source": True,
                        "capable_supporter": True,
                        "care_setting": "home",
                    }
                    for i in range(3)
                ],
            }
            for hid in ("A", "B")
        ]
    }
    households, persons = document_to_frames(doc)
    grouped = sorted(compute_batch(households, persons, "2020-06").rows())
    shuffled = sorted(compute_batch(households.reverse(), persons.sample(fraction=1.0, seed=1), "2020-06").rows())
    assert grouped == shuffled == single_lines(doc, "2020-06")[0]


def test_frames_round_trip_to_the_same_document() -> None:
    doc = {
        "households": [
            {
                "id": "R1",
                "region": "141102",
                "area": "rural",
                "registered_poor": False,
                "annual_income": "1234.56",
                "disqualified": ["vehicle"],
                "members": [
                    {
                        "id": "R1P1",
                        "birth_date": dt.date(1950, 2, 28),
                        "disability_grade": None,
                        "disability_card_gen2": False,
                        "needs_long_term_care": False,
                        "disabled_elder_certified": False,
                        "self_care": "full",
                        "labour": "none",
                        "student": "none",
                        "serious_illness": False,
                        "late_stage_major_disease": False,
                        "income_source": False,
                        "capable_supporter": False,
                        "care_setting": "home",
                    }
                ],
            }
        ]
    }
    households, persons = document_to_frames(doc)
    assert households["annual_income_fen"].to_list() == [123456]
    assert frames_to_document(households, persons) == doc


def test_frames_with_unknown_or_duplicate_households_are_rejected() -> None:
    import polars as pl
    import pytest

    from jingzhun.policy.engine_batch import BatchInputError

    doc = {"households": [_household("X1"), _household("X2")]}
    households, persons = document_to_frames(doc)
    orphan = persons.with_columns(household_id=pl.lit("X9"))
    with pytest.raises(BatchInputError, match="X9"):
        compute_batch(households, orphan, "2020-06")
    twice = pl.concat([households, households.head(1)])
    with pytest.raises(BatchInputError, match="户编号重复"):
        compute_batch(twice, persons.reverse(), "2020-06")
    with pytest.raises(BatchInputError, match="未知区划代码"):
        compute_batch(households.with_columns(region=pl.lit("999999")), persons, "2020-06")


def _household(hid: str) -> dict[str, Any]:
    member = {
        "id": f"{hid}P1",
        "birth_date": dt.date(1950, 1, 1),
        "disability_grade": None,
        "disability_card_gen2": False,
        "needs_long_term_care": False,
        "disabled_elder_certified": False,
        "self_care": "full",
        "labour": "full",
        "student": "none",
        "serious_illness": False,
        "late_stage_major_disease": False,
        "income_source": True,
        "capable_supporter": True,
        "care_setting": "home",
    }
    return {
        "id": hid,
        "region": "141102",
        "area": "rural",
        "registered_poor": False,
        "annual_income": "0",
        "disqualified": [],
        "members": [member],
    }
