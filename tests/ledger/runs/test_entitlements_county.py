"""Walk a small county: for every household and month the household page's payable total is what the real
month run wrote to the ledger — 低保, 特困, disability, not enrolled, 大病关怀 once in a lifetime, CPI, 临时救助
of the month and a 补发, a household closed since and one merged away (their past months still paid)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum

from jingzhun.core.actions import Actor
from jingzhun.ledger.entitlements import household_entitlements
from jingzhun.ledger.models import CpiMonth, PaymentLine
from jingzhun.ledger.runs import run_month
from jingzhun.registry import actions
from jingzhun.registry.models import Household
from tests.ledger.factories import enrol, make_household
from tests.ledger.test_run_month_events import approved_emergency

pytestmark = pytest.mark.django_db

OLD = {"birth_date": dt.date(1936, 5, 1)}
YOUNG = {"birth_date": dt.date(1975, 4, 2), "labour": "full"}
TEKUN = {"birth_date": dt.date(1940, 8, 8), "capable_supporter": False, "labour": "none"}
SEVERE = {"birth_date": dt.date(1968, 2, 2), "disability_grade": 1, "disability_card_gen2": True}
SEVERE |= {"needs_long_term_care": True, "self_care": "none", "labour": "none"}
ILL = {"birth_date": dt.date(1960, 1, 1), "late_stage_major_disease": True}


def build_county(regions: dict[str, Any]) -> dict[str, Household]:
    villages = [regions["v11"], regions["v12"], regions["v21"]]
    h: dict[str, Household] = {}
    for i in range(12):  # one elderly 低保 member, no income
        h[f"old{i}"] = make_household(villages[i % 3], f"OLD{i:03d}", members=[OLD])
    for i in range(6):  # couples with some income: 低保补差 smaller, or none above the standard
        h[f"couple{i}"] = make_household(
            villages[i % 3], f"CPL{i:03d}", members=[YOUNG, OLD], income_fen=[0, 300_000, 900_000, 5_000_000][i % 4]
        )
    for i in range(4):  # 特困
        h[f"tekun{i}"] = make_household(villages[i % 3], f"TK{i:03d}", members=[TEKUN], families=("tekun",))
    for i in range(3):  # severe disability in a 低保 household, with the 护理补贴 enrollment or without
        families = ("dibao", "disability_care") if i < 2 else ("dibao",)
        h[f"severe{i}"] = make_household(villages[i % 3], f"SV{i:03d}", members=[SEVERE, OLD], families=families)
    for i in range(3):  # computed but not enrolled anywhere: nothing payable
        h[f"none{i}"] = make_household(villages[i % 3], f"NO{i:03d}", members=[OLD], families=())
    for i in range(2):  # 大病关怀: paid once in June, not again in July
        h[f"ill{i}"] = make_household(villages[i], f"ILL{i:03d}", members=[ILL], income_fen=10_000_000, families=())
        enrol(h[f"ill{i}"], "major_illness", dt.date(2020, 6, 1))
    h["ended"] = make_household(villages[0], "END000", members=[OLD])
    h["ended"].enrollments.update(end_month=dt.date(2020, 6, 1), status="ended")  # paid June, not July
    return h


def paid_fen(household: Household, first: dt.date) -> int:
    total = PaymentLine.objects.filter(household=household, month=first).aggregate(s=Sum("amount_fen"))["s"]
    return int(total or 0)


def page_fen(household: Household, month: str) -> int:
    household.refresh_from_db()
    return household_entitlements(household, month).payable_fen


def test_every_household_page_pays_what_the_month_run_wrote(regions: dict[str, Any]) -> None:
    system = Actor.system("test")
    june, july, august = dt.date(2020, 6, 1), dt.date(2020, 7, 1), dt.date(2020, 8, 1)
    h = build_county(regions)
    run_month("2020-06", region_prefix="141102", actor=system)

    approved_emergency(h["old0"], 100_000, dt.date(2020, 6, 20))  # approved after June ran: 补发 in July
    approved_emergency(h["old0"], 200_000, dt.date(2020, 7, 3))  # and one of July itself, same household
    approved_emergency(h["none0"], 300_000, dt.date(2020, 7, 9))  # 临时救助 needs no enrollment
    CpiMonth.objects.create(
        month=july, all_items=Decimal("5.2"), food=Decimal("21.9"), source="测试", actor_label="test"
    )
    actions.record_death(system, h["old1"].persons.get(), date=dt.date(2020, 7, 20))  # closes it; July still paid
    actions.merge_households(system, h["old2"], h["old5"], date=dt.date(2020, 7, 1))  # gone from July on
    h["old1"].refresh_from_db()
    h["old2"].refresh_from_db()
    assert not h["old1"].active and not h["old2"].active

    before_july_run = {key: household_entitlements(household, "2020-07") for key, household in h.items()}
    run_month("2020-07", region_prefix="141102", actor=system)
    run_month("2020-08", region_prefix="141102", actor=system)

    for key, household in h.items():
        assert before_july_run[key].payable_fen == paid_fen(household, july), key
        for month, first in (("2020-06", june), ("2020-07", july), ("2020-08", august)):
            assert page_fen(household, month) == paid_fen(household, first), (key, month)

    # The walk covered what it claims to cover.
    programs = {line.program for result in before_july_run.values() for line in result.lines if line.payable}
    assert {"dibao", "tekun_basic", "disability_care", "price_subsidy", "temporary_assistance"} <= programs
    assert any(not line.payable for result in before_july_run.values() for line in result.lines)
    assert any("补发 2020-06" in line.program_name for line in before_july_run["old0"].lines)
    assert paid_fen(h["ill0"], june) > 0 and paid_fen(h["ill0"], july) == 0
    assert paid_fen(h["ended"], june) > 0 and paid_fen(h["ended"], july) == 0
    assert paid_fen(h["old1"], july) > 0 and paid_fen(h["old1"], august) == 0  # closed in July (L9)
    assert page_fen(h["old1"], "2020-07") > 0
    assert paid_fen(h["old2"], june) > 0 and page_fen(h["old2"], "2020-06") == paid_fen(h["old2"], june)
    closed = household_entitlements(h["old2"], "2020-07")
    assert closed.payable_fen == 0 and any("已销户" in e for e in closed.errors)
    assert paid_fen(h["none0"], july) == 300_000  # the 临时救助 alone
