"""一张图 fixtures: the staff web tests' world plus ledger lines, 帮扶记录 and projects in it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.staff import build_world, login  # noqa: F401  (fixtures used by this package's tests)


def add_activity(world: dict[str, Any]) -> None:
    """June 2020 低保 lines for carl's household (and May), one 特困 line in 吴城村, visits, a project."""
    from jingzhun.helping.models import HelpRecord
    from jingzhun.ledger.models import PaymentLine
    from jingzhun.projects.models import FundAllocation, Project

    own, sib_t, other = world["own"], world["sibling_township"], world["other_county"]
    for month, fen in ((dt.date(2020, 5, 1), 40_000), (dt.date(2020, 6, 1), 40_442)):
        PaymentLine.objects.create(
            household=own, program="dibao", month=month, amount_fen=fen, kind="payment", actor_label="t"
        )
    PaymentLine.objects.create(
        household=sib_t,
        program="tekun_basic",
        month=dt.date(2020, 6, 1),
        amount_fen=70_000,
        kind="payment",
        actor_label="t",
    )
    PaymentLine.objects.create(
        household=other,
        program="dibao",
        month=dt.date(2020, 6, 1),
        amount_fen=99_900,
        kind="payment",
        actor_label="t",
    )
    HelpRecord.objects.create(household=own, date=dt.date(2020, 6, 10), kind="visit", content="走访", cadre_label="t")
    HelpRecord.objects.create(household=sib_t, date=dt.date(2019, 6, 10), kind="visit", content="走访", cadre_label="t")
    project = Project.objects.create(
        code="LS-2020-001",
        name="信义村食用菌种植基地",
        kind="industry",
        region=own.village,
        year=2020,
        beneficiary_households=30,
    )
    FundAllocation.objects.create(project=project, source="central", amount_fen=30_000_000)
    pv = Project.objects.create(
        code="JK-2020-001", name="水头村光伏电站", kind="pv", region=other.village, year=2020, beneficiary_households=9
    )
    FundAllocation.objects.create(project=pv, source="province", amount_fen=12_300_000)


@pytest.fixture
def dash_world(regions: dict[str, Any], personas: dict[str, Any]) -> dict[str, Any]:
    world = build_world(regions, personas)
    add_activity(world)
    return world


def add_later_line(world: dict[str, Any]) -> dict[str, Any]:
    """``add_activity`` plus a 低保 line for 2020-12 on the own household: a ledger that already holds a month
    after the working month (the demo's 住院 settlements are booked to the year's end)."""
    from jingzhun.ledger.models import PaymentLine

    add_activity(world)  # 低保 lines for 2020-05 and 2020-06
    PaymentLine.objects.create(
        household=world["own"],
        program="dibao",
        month=dt.date(2020, 12, 1),
        amount_fen=12_345,
        kind="payment",
        actor_label="t",
    )
    return world
