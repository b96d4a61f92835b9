"""住院结算 feeds 返贫预警: each stay's current settlement's out-of-pocket, once, in its discharge window."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.core import monitoring_sources
from jingzhun.core.actions import Actor
from tests.medical.test_settlement import _record

pytestmark = pytest.mark.django_db


def test_hospital_oop_counts_each_stay_once_at_its_current_settlement(
    household: Any, hospitals: dict[str, Any], county: Actor
) -> None:
    source = monitoring_sources.cost_sources()["medical"]
    home = household("v11", registered_year=2014)
    person = home.persons.get()
    # recorded out of order: the June stay is re-settled (an adjustment) once the March stay turns up
    _record(county, person, hospitals["county"], "S4b", "2019-05-20", "2019-06-01", "40000", "40000")
    _record(county, person, hospitals["county"], "S4a", "2019-02-20", "2019-03-01", "40000", "40000")
    year = source(home.village.code, dt.date(2019, 1, 1), dt.date(2020, 1, 1)).to_dicts()
    assert len(year) == 1 and year[0]["household_id"] == home.pk
    march = source(home.village.code, dt.date(2019, 3, 1), dt.date(2019, 3, 2))["hospital_oop_fen"].item()
    june = source(home.village.code, dt.date(2019, 6, 1), dt.date(2019, 6, 2))["hospital_oop_fen"].item()
    assert june == 16400  # the adjustment's 164.00, not the first settlement's 836.00 nor both
    assert year[0]["hospital_oop_fen"] == year[0]["rigid_costs_fen"] == march + june
    assert source(home.village.code, dt.date(2020, 1, 1), dt.date(2021, 1, 1)).is_empty()
    assert source("141130", dt.date(2019, 1, 1), dt.date(2020, 1, 1)).is_empty()
