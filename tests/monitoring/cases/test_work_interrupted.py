"""务工中断 (POLICY.md §8: "the feed records it only once work has stopped ≥ 3 months [default]"): a cadre's
report of 务工中断 is accepted on or after the day three calendar months after work stopped, refused before
with the first day it can be recorded — and nothing is written when refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db
D = dt.date


def _report(h: Any, victor: Any, stopped: dt.date, on: dt.date) -> Any:
    from jingzhun.monitoring.cases import actions

    return actions.open_case(
        victor, h, origin="cadre_check", kind="work_interrupted", date=stopped, note="返乡未再外出务工", on=on
    )


@pytest.mark.parametrize(
    ("stopped", "first_day"),
    [
        (D(2020, 2, 10), D(2020, 5, 10)),
        (D(2020, 11, 30), D(2021, 2, 28)),  # no 30 February: the month's last day
        (D(2023, 11, 30), D(2024, 2, 29)),  # a leap year's last day of February
    ],
)
def test_recorded_from_three_months_after_work_stopped(
    household: Any, personas: Any, actor: Any, stopped: dt.date, first_day: dt.date
) -> None:
    from jingzhun.monitoring.models.cases import Case, ReportedEvent

    h = household("v11", incomes={2019: 5_000_000})
    victor = actor(personas["victor"])
    with pytest.raises(ValidationError, match=f"{first_day.isoformat()} 起方可登记"):
        _report(h, victor, stopped, first_day - dt.timedelta(days=1))
    assert not ReportedEvent.objects.filter(household=h).exists() and not Case.objects.filter(household=h).exists()
    c = _report(h, victor, stopped, first_day)
    assert c.flags == ["work_interrupted"] and c.first_flag_on == first_day


def test_other_kinds_are_recorded_at_once(household: Any, personas: Any, actor: Any) -> None:
    from jingzhun.monitoring.cases import actions

    h = household("v11", incomes={2019: 5_000_000})
    c = actions.open_case(
        actor(personas["victor"]), h, origin="cadre_check", kind="disaster", date=D(2020, 5, 3), note="冰雹",
        on=D(2020, 5, 3),
    )  # fmt: skip
    assert c.flags == ["disaster"]


def test_an_event_after_the_day_it_is_recorded_is_refused(household: Any, personas: Any, actor: Any) -> None:
    from jingzhun.monitoring.cases import actions
    from jingzhun.monitoring.models.cases import ReportedEvent

    h = household("v11", incomes={2019: 5_000_000})
    with pytest.raises(ValidationError, match="晚于登记日期"):
        actions.open_case(
            actor(personas["victor"]), h, origin="cadre_check", kind="disaster", date=D(2020, 5, 6), note="冰雹",
            on=D(2020, 5, 5),
        )  # fmt: skip
    assert not ReportedEvent.objects.filter(household=h).exists()
