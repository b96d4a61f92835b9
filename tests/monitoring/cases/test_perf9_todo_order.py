"""返贫预警 全部在办案件 as the county officer reads it: the open cases first — overdue ones first, then by due
date — and the decided ones (帮扶中, no deadline left) after them, however early their due date was."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _rows(client: Client, url: str) -> list[str]:
    html = client.get(url).content.decode()
    return re.findall(r'<td data-label="户编号" class="mono">(\d+)</td>', html)


def test_all_cases_overdue_first_then_due_then_decided(household: Any, personas: Any) -> None:
    from jingzhun.core.actions import Actor
    from jingzhun.monitoring.cases.assess import run_assessment
    from jingzhun.monitoring.models.cases import Case, CaseState

    homes = [household("v11", members=[{}, {}], incomes={2019: 500_000}) for _ in range(4)]
    on = timezone.localdate() - dt.timedelta(days=30)
    run_assessment(on.replace(day=1), actor=Actor.system("test"), region_prefix="141102", on=on)
    today = timezone.localdate()
    # (household, state, due date): the decided case has the earliest date of all (the old order put it first)
    plan = [
        (homes[0], CaseState.DECIDED, today - dt.timedelta(days=60)),
        (homes[1], CaseState.VERIFIED, today - dt.timedelta(days=5)),
        (homes[2], CaseState.IDENTIFIED, today + dt.timedelta(days=10)),
        (homes[3], CaseState.IN_NOTICE, today - dt.timedelta(days=20)),
    ]
    for h, state, due in plan:
        assert Case.objects.filter(household=h).update(state=state, due_on=due) == 1
    alice = Client()
    assert alice.login(username="alice", password="pw-12345678")
    listed = [no for no in _rows(alice, "/monitoring/cases/?view=all") if no in {h.household_no for h in homes}]
    assert listed == [homes[3].household_no, homes[1].household_no, homes[2].household_no, homes[0].household_no]
    # the village cadre's 我的待办 (入户核实, 评议, 帮扶): the same order over the cases that are his
    victor = Client()
    assert victor.login(username="victor", password="pw-12345678")
    mine = [no for no in _rows(victor, "/monitoring/cases/") if no in {h.household_no for h in homes}]
    assert mine == [homes[1].household_no, homes[2].household_no, homes[0].household_no]
