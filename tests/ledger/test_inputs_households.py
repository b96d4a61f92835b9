"""``load_inputs(..., household_pks=...)``: the run's own gathering narrowed to some households — the same
inputs the county-wide run has for them, read with queries bounded by those households."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jingzhun.ledger.inputs import load_inputs
from jingzhun.ledger.runs import run_month
from tests.ledger.factories import elderly_poor_village, enrol, make_household
from tests.ledger.test_run_month_events import approved_emergency

pytestmark = pytest.mark.django_db
ILL = {"birth_date": dt.date(1960, 1, 1), "late_stage_major_disease": True}


def only(inputs: Any, number: str) -> dict[str, Any]:
    """The parts of a run's inputs that concern one household (frames, enrollments, events, 补发, history)."""
    persons = inputs.persons.filter(pl.col("household_id") == number)
    members = set(persons["id"].to_list())
    return {
        "households": inputs.households.filter(pl.col("id") == number).to_dicts(),
        "persons": persons.to_dicts(),
        "enrollments": inputs.enrollments.filter(pl.col("household_no") == number).to_dicts(),
        "events": [e for e in inputs.events if e["household"] == number],
        "late": [e for e in inputs.late_events if e["household"] == number],
        "history": {k: v for k, v in inputs.history.items() if k in members},
        "cpi": inputs.cpi,
    }


def test_one_household_gets_exactly_its_share_of_the_county_inputs(county: dict[str, Any], system: Any) -> None:
    ill = make_household(county["v11"], "ILL", members=[ILL], income_fen=10_000_000, families=())
    enrol(ill, "major_illness", dt.date(2020, 6, 1))
    run_month("2020-06", actor=system)  # 大病关怀 paid: history for July; June has run: 补发 possible
    busy = county["households"][0]
    approved_emergency(busy, 100_000, dt.date(2020, 6, 20))  # late: paid by July
    approved_emergency(busy, 200_000, dt.date(2020, 7, 2))
    approved_emergency(county["households"][1], 300_000, dt.date(2020, 7, 5))
    july = dt.date(2020, 7, 1)
    whole = load_inputs(july, "141102")
    assert whole.history and whole.late_events and len(whole.events) == 2
    for household in [*county["households"], ill]:
        narrowed = load_inputs(july, household.village.code, household_pks=[household.pk])
        assert only(narrowed, household.household_no) == only(whole, household.household_no)
        assert set(narrowed.households["id"].to_list()) == {household.household_no}
        assert narrowed.enrollments["household_no"].unique().to_list() in ([], [household.household_no])


def test_the_household_reads_are_bounded_by_the_household(county: dict[str, Any], system: Any) -> None:
    ill = make_household(county["v11"], "ILL", members=[ILL], income_fen=10_000_000, families=())
    enrol(ill, "major_illness", dt.date(2020, 6, 1))
    run_month("2020-06", actor=system)
    july = dt.date(2020, 7, 1)
    with CaptureQueriesContext(connection) as few:
        load_inputs(july, ill.village.code, household_pks=[ill.pk])
    history = [q["sql"] for q in few.captured_queries if "major_illness_care" in q["sql"]]
    assert len(history) == 1 and "person_id" in history[0] and " IN (" in history[0]  # M1: not the whole county
    for village in ("v11", "v12", "v21"):
        elderly_poor_village(county[village], 20, prefix="More")
    with CaptureQueriesContext(connection) as more:
        load_inputs(july, ill.village.code, household_pks=[ill.pk])
    assert len(more.captured_queries) == len(few.captured_queries)


def test_the_county_run_reads_a_fixed_number_of_queries_and_no_person_filter(
    county: dict[str, Any], system: Any
) -> None:
    july = dt.date(2020, 7, 1)
    with CaptureQueriesContext(connection) as few:
        load_inputs(july, "141102")
    for village in ("v11", "v12", "v21"):
        elderly_poor_village(county[village], 20, prefix="More")
    with CaptureQueriesContext(connection) as more:
        load_inputs(july, "141102")
    assert len(more.captured_queries) == len(few.captured_queries)
    history = [q["sql"] for q in more.captured_queries if "major_illness_care" in q["sql"]]
    assert len(history) == 1 and " IN (" not in history[0]
