"""The synthetic 交口县 一保通 portfolio lands near the reported 2018 shape, computed (not typed)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from jingzhun.policy import insurance
from jingzhun.synth.insurance import SynthPortfolio, synth_portfolio

SCALE = 0.25  # 6 750 households: the reported figures × 0.25
REPORTED = {"households": 27_000, "premiums": 13_000_000, "claims": 12_000_000, "paid": 10_987}


@pytest.fixture(scope="module")
def portfolio() -> SynthPortfolio:
    return synth_portfolio(scale=SCALE, seed=2018, year=2018)


def test_the_2018_portfolio_lands_near_jiaokous_reported_shape(portfolio: SynthPortfolio) -> None:
    total = insurance.totals(portfolio.table, 2018)
    premiums = Decimal(total["premiums_fen"]) / 100
    claims = Decimal(total["claims_fen"]) / 100
    print(
        f"\n交口 2018 × {SCALE}: {total['households_insured']} households, premiums {premiums}, claims {claims}, "
        f"loss ratio {total['loss_ratio']}, {total['households_paid']} households paid"
    )
    assert total["households_insured"] == REPORTED["households"] * SCALE
    assert abs(premiums / (REPORTED["premiums"] * Decimal(SCALE)) - 1) < Decimal("0.05")
    assert abs(claims / (REPORTED["claims"] * Decimal(SCALE)) - 1) < Decimal("0.08")
    assert Decimal("0.88") <= Decimal(total["loss_ratio"]) <= Decimal("0.98")  # reported 93 %
    assert abs(Decimal(total["households_paid"]) / (REPORTED["paid"] * Decimal(SCALE)) - 1) < Decimal("0.10")


def test_every_household_holds_all_household_covers_and_the_ruled_claims_are_the_rules(
    portfolio: SynthPortfolio,
) -> None:
    per_household = [c.code for c in insurance.COVERS if c.basis == "household"]
    held = portfolio.premiums.filter(pl.col("cover").is_in(per_household)).group_by("household").len()
    assert held.height == portfolio.households
    assert (held.get_column("len") == len(per_household)).all()
    gap = insurance.income_gap_claims(portfolio.document, 2018)
    recorded = portfolio.claims.filter(pl.col("cover") == "income_gap")
    assert dict(zip(recorded["household"], recorded["amount_fen"], strict=True)) == gap.claims
    assert set(portfolio.table.get_column("cover")) == {*insurance.BY_CODE, "total"}


def test_equal_seeds_give_equal_portfolios() -> None:
    one, again = synth_portfolio(scale=0.02, seed=7), synth_portfolio(scale=0.02, seed=7)
    assert one.table.equals(again.table)
    assert one.claims.equals(again.claims)
    assert not synth_portfolio(scale=0.02, seed=8).claims.equals(one.claims)
