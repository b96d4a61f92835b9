"""Reads of 一保通, region scoped: the portfolio (premiums, claims, loss ratio by cover and year, households
paid) through the pure :func:`jingzhun.policy.insurance.portfolio`, two queries and one Polars pass."""

from __future__ import annotations

import polars as pl
from django.db.models import QuerySet

from jingzhun.core.actions import Actor
from jingzhun.insurance.models import Claim, ClaimStatus, CoverTerm, Policy, PolicyCover
from jingzhun.policy import insurance as rules


def policies_for(actor: Actor) -> QuerySet[Policy]:
    return Policy.objects.filter(county__startswith=actor.scope[:6]) if actor.scope else Policy.objects.all()


def claims_for(actor: Actor) -> QuerySet[Claim]:
    claims = Claim.objects.all()
    if actor.scope:
        claims = claims.filter(policy__household__village__code__startswith=actor.scope)
    return claims


def portfolio(actor: Actor, year: int | None = None) -> pl.DataFrame:
    """Rows by year and cover plus ``cover = "total"``: premiums_fen, claims_fen, loss_ratio, households.

    Premiums: every policy carries its county-year's household covers (``CoverTerm``, joined in Polars: no
    row per policy and cover is stored) plus its own unit covers (``PolicyCover``)."""
    policies = policies_for(actor)
    units = PolicyCover.objects.all()
    claims = claims_for(actor).filter(status=ClaimStatus.APPROVED)
    if actor.scope:
        policies = policies.filter(household__village__code__startswith=actor.scope)
        units = units.filter(policy__household__village__code__startswith=actor.scope)
    terms = CoverTerm.objects.filter(cover__basis="household")
    if year is not None:
        policies, units, claims = (
            policies.filter(year=year),
            units.filter(policy__year=year),
            claims.filter(policy__year=year),
        )
        terms = terms.filter(year=year)
    held = pl.DataFrame(
        list(policies.values_list("household_id", "year", "county").iterator()),
        schema={"household": pl.Int64, "year": pl.Int32, "county": pl.String},
        orient="row",
    )
    household_terms = pl.DataFrame(
        list(terms.values_list("county", "year", "cover__code", "premium_fen")),
        schema={"county": pl.String, "year": pl.Int32, "cover": pl.String, "premium_fen": pl.Int64},
        orient="row",
    )
    unit_rows = pl.DataFrame(
        list(units.values_list("policy__household_id", "policy__year", "cover__code", "premium_fen").iterator()),
        schema={"household": pl.Int64, "year": pl.Int32, "cover": pl.String, "premium_fen": pl.Int64},
        orient="row",
    )
    p = pl.concat(
        [held.join(household_terms, on=["county", "year"], how="inner").drop("county"), unit_rows], how="vertical"
    ).with_columns(pl.col("household").cast(pl.String))
    c = pl.DataFrame(
        list(claims.values_list("policy__household_id", "policy__year", "cover__code", "amount_fen").iterator()),
        schema={"household": pl.Int64, "year": pl.Int32, "cover": pl.String, "amount_fen": pl.Int64},
        orient="row",
    ).with_columns(pl.col("household").cast(pl.String))
    return rules.portfolio(p, c)


def years(actor: Actor) -> list[int]:
    return sorted(set(policies_for(actor).values_list("year", flat=True).distinct()), reverse=True)
