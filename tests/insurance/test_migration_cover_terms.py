"""Migration 0002_h16_cover_terms: existing policies' household-cover rows become the year's terms (once per
county and year, a unit cover's premium per unit), the unit rows stay, the portfolio's premiums are unchanged."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("insurance", "0001_initial")]
AFTER = [("insurance", "0002_h16_cover_terms")]


def test_household_cover_rows_become_terms_and_unit_rows_stay(household: Any) -> None:
    a, b = household("v91"), household("v91")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Cover, Policy, PolicyCover = (old.get_model("insurance", m) for m in ("Cover", "Policy", "PolicyCover"))
    house = Cover.objects.create(code="house", name="农房保险", basis="household", unit="户", payer="县财政")
    maize = Cover.objects.create(code="maize", name="玉米种植保险", basis="unit", unit="亩", payer="县财政")
    for h in (a, b):
        policy = Policy.objects.create(household_id=h.pk, year=2018, county="141130", actor_label="t")
        PolicyCover.objects.create(policy=policy, cover=house, units=1, premium_fen=1500, sum_insured_fen=2_000_000)
    pa = Policy.objects.get(household_id=a.pk)
    PolicyCover.objects.create(policy=pa, cover=maize, units=Decimal(6), premium_fen=6 * 1200, sum_insured_fen=40_000)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    terms = new.get_model("insurance", "CoverTerm").objects.order_by("cover__code")
    assert [(t.county, t.year, t.cover.code, t.premium_fen, t.sum_insured_fen) for t in terms] == [
        ("141130", 2018, "house", 1500, 2_000_000),
        ("141130", 2018, "maize", 1200, 40_000),
    ]
    rows = new.get_model("insurance", "PolicyCover").objects.all()
    assert [(r.policy.household_id, r.cover.code, r.units, r.premium_fen) for r in rows] == [(a.pk, "maize", 6, 7200)]

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # and back: the household rows return from the terms
    back = executor.loader.project_state(BEFORE).apps.get_model("insurance", "PolicyCover")
    assert sorted(back.objects.values_list("cover__code", "premium_fen")) == [
        ("house", 1500), ("house", 1500), ("maize", 7200)]  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
