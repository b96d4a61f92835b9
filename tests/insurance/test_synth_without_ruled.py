"""``synth_portfolio(ruled=False)`` (what the database demo draws): the same units and other covers' claims as
the full portfolio, without the four ruled covers the demo computes itself from its own registry."""

from __future__ import annotations

import polars as pl

from jingzhun.policy import insurance as rules
from jingzhun.synth.insurance import synth_portfolio


def test_the_draws_are_the_same_without_the_ruled_covers() -> None:
    full = synth_portfolio(scale=0.05, seed=3, year=2019)
    drawn = synth_portfolio(scale=0.05, seed=3, year=2019, ruled=False)
    ruled = [c.code for c in rules.COVERS if c.ruled]
    assert drawn.premiums.equals(full.premiums)
    assert drawn.claims.equals(full.claims.filter(~pl.col("cover").is_in(ruled)))
    assert full.claims.filter(pl.col("cover").is_in(ruled)).height > 0
    assert drawn.claims.filter(pl.col("cover").is_in(ruled)).is_empty()


def test_a_small_county_draws_too() -> None:
    """The demo's smallest 交口 (tens of households): covers with no claim drawn are empty, typed frames."""
    for households in (1, 40, 54):
        drawn = synth_portfolio(scale=households / 27_000, seed=2018, year=2019, ruled=False)
        assert drawn.households == households and drawn.claims.schema == rules.CLAIM_SCHEMA
