"""住院结算 as an input of 返贫预警 (``core.monitoring_sources.register_costs``): a household's inpatient
out-of-pocket is both its ``hospital_oop_12m`` and part of its ``rigid_costs_12m`` (POLICY.md §8: medical OOP
+ schooling + disaster losses)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from jingzhun.medical.models import Settlement


def hospital_costs(region_prefix: str, start: dt.date, end: dt.date) -> pl.DataFrame:
    """Per household, the out-of-pocket of its stays discharged in ``start ≤ date < end`` (villages under
    ``region_prefix``), each stay counted once at its current settlement (the highest ``seq``: a late
    earlier stay's adjustment replaces the first settlement, it is not added to it)."""
    rows = list(
        Settlement.objects.filter(
            stay__discharged__gte=start,
            stay__discharged__lt=end,
            stay__household__village__code__startswith=region_prefix,
        ).values_list("stay_id", "seq", "stay__household_id", "oop_fen")
    )
    schema = {"household_id": pl.Int64, "rigid_costs_fen": pl.Int64, "hospital_oop_fen": pl.Int64}
    if not rows:
        return pl.DataFrame(schema=schema)
    current = (
        pl.DataFrame(rows, schema=["stay", "seq", "household_id", "oop"], orient="row")
        .sort("stay", "seq")
        .group_by("stay", maintain_order=True)
        .last()
    )
    per_household = current.group_by("household_id").agg(pl.col("oop").sum().cast(pl.Int64))
    return per_household.select(
        pl.col("household_id").cast(pl.Int64),
        pl.col("oop").alias("rigid_costs_fen"),
        pl.col("oop").alias("hospital_oop_fen"),
    )
