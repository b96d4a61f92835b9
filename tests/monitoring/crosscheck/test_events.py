"""Department lists feed 返贫预警: a matched (or confirmed) death / disability … hit is an event of the household;
a cleared one is not; the list's snapshot date is the event's date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from jingzhun.core import monitoring_sources
from tests.monitoring.crosscheck.conftest import seed_suspects

pytestmark = pytest.mark.django_db


def test_matched_death_hit_is_an_event_in_the_window_and_a_cleared_one_is_not(
    tmp_path: Path, world: dict[str, Any]
) -> None:
    from jingzhun.monitoring.models.crosscheck import SuspectState

    suspects = seed_suspects(tmp_path, world)
    source = monitoring_sources.event_sources()["department_lists"]
    village = world["own"].village.code
    events = source(village, dt.date(2019, 7, 1), dt.date(2020, 7, 1))
    assert events.to_dicts() == [
        {"household_id": world["own"].pk, "kind": "accident_death", "date": dt.date(2020, 6, 30)}
    ]  # the vehicle hits are not events; the death is dated by the list's 截至日期
    assert source(village, dt.date(2020, 7, 1), dt.date(2021, 7, 1)).is_empty()  # outside the window
    assert source("141123", dt.date(2019, 7, 1), dt.date(2020, 7, 1)).is_empty()  # another county
    suspects["death_own"].state = SuspectState.CLEARED
    suspects["death_own"].save(update_fields=["state"])
    assert source(village, dt.date(2019, 7, 1), dt.date(2020, 7, 1)).is_empty()
