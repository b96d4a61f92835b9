"""The 工作台 shows monitoring's to-dos: 返贫预警 cases whose next step is mine (and those overdue), and the
疑点 waiting for the village — counted in my region only; the auditor gets none."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from jingzhun.core import todos
from jingzhun.core.actions import Actor
from tests.monitoring.crosscheck.conftest import seed_suspects

pytestmark = pytest.mark.django_db


def _counts(user: Any, today: dt.date) -> dict[str, int]:
    return {t.label: t.count for t in todos.todos_for(Actor.for_user(user), today)}


def test_cases_and_suspects_are_counted_for_whose_step_it_is(
    tmp_path: Path, world: dict[str, Any], personas: dict[str, Any], login: Any
) -> None:
    from jingzhun.monitoring.models.cases import Case, CaseOrigin, CaseState

    seed_suspects(tmp_path, world)  # three open 疑点: two in 信义村 (victor's), one in 歧道村
    today = dt.date(2020, 7, 20)
    for household, due, state in (
        (world["own"], dt.date(2020, 7, 10), CaseState.IDENTIFIED),  # overdue, next step the village's
        (world["own_other"], dt.date(2020, 7, 30), CaseState.IDENTIFIED),
        (world["sibling_township"], dt.date(2020, 7, 1), CaseState.IN_NOTICE),  # next step: township
    ):
        Case.objects.create(
            household=household,
            origin=CaseOrigin.choices[0][0],
            first_flag_on=due - dt.timedelta(days=15),
            due_on=due,
            state=state,
            opened_by_label="test",
        )
    victor = _counts(personas["victor"], today)
    assert victor["返贫预警待我处理"] == 2 and victor["返贫预警逾期"] == 1
    assert victor["数据比对疑点待核实"] == 2
    alice = _counts(personas["alice"], today)  # the county decides none of these yet; sees 离石区's 疑点
    assert alice["返贫预警待我处理"] == 0 and alice["数据比对疑点待核实"] == 3
    assert "返贫预警待我处理" not in _counts(personas["audrey"], today)
    page = login("victor").get("/").content.decode()
    assert "数据比对疑点待核实" in page and "返贫预警逾期" in page
