"""Gather a month run's inputs from the other apps, and map the frames' ids back to database rows.

* registry: ``documents.household_frames(month, region_prefix)`` — the batch frames;
* assistance: ``queries.active_enrollments`` and ``queries.payable_events`` (临时救助);
* ledger: the 大病关怀 history (persons already paid it in an earlier month, anywhere), and the month's
  CPI rises as the county entered them (``ledger cpi set``; a ``cpi`` argument replaces them).

Frames name households by ``household_no`` and persons by the string of their primary key (the
registry's contract); :class:`Keys` turns those ids into the foreign keys of the payment lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from jingzhun.ledger.queries import cpi_of_month, lifetime_paid_persons
from jingzhun.ledger.snapshot import ENROLMENT_SCHEMA, RunInputs
from jingzhun.policy.params import ParameterTree, load_parameters

ONCE_PER_LIFETIME = ("major_illness_care",)


def load_inputs(
    first: dt.date,
    region_prefix: str,
    *,
    params: ParameterTree | None = None,
    cpi: dict[str, Any] | None = None,
) -> RunInputs:
    from jingzhun.assistance.queries import active_enrollments, payable_events
    from jingzhun.registry.documents import household_frames

    month = f"{first:%Y-%m}"
    households, persons = household_frames(month, region_prefix=region_prefix)
    enrolments = active_enrollments(month, region_prefix, closed_too=True).select(
        pl.col(name).cast(dtype) for name, dtype in ENROLMENT_SCHEMA.items()
    )
    events = [
        {"household": e["household_no"], "kind": e["kind"], "amount_due": e["amount_due"], "date": e["date"]}
        for e in payable_events(month, region_prefix)
    ]
    history: dict[str, list[str]] = {}
    for program in ONCE_PER_LIFETIME:
        for person_pk in lifetime_paid_persons(program, first):
            history.setdefault(str(person_pk), []).append(program)
    return RunInputs(
        month=first,
        region_prefix=region_prefix,
        households=households,
        persons=persons,
        enrolments=enrolments,
        params=params if params is not None else load_parameters(),
        events=events,
        cpi=cpi_of_month(first) if cpi is None else cpi,
        history=history,
    )


@dataclass
class Keys:
    """Frame ids → database keys for one run's scope."""

    households: pl.DataFrame  # household_id (str) → household_pk
    persons: pl.DataFrame  # member_id (str) → person_pk

    def attach(self, lines: pl.DataFrame) -> pl.DataFrame:
        """Add ``household_pk`` and ``person_pk`` (0 for a household line) to computed lines."""
        out = lines.join(self.households, on="household_id", how="left").join(self.persons, on="member_id", how="left")
        missing = out.filter(
            pl.col("household_pk").is_null() | (pl.col("member_id").is_not_null() & pl.col("person_pk").is_null())
        )
        if missing.height:
            sample = ", ".join(f"{r['household_id']}/{r['member_id']}" for r in missing.head(5).iter_rows(named=True))
            raise LookupError(f"计算结果中的户或成员在户籍库中找不到：{sample}")
        return out.with_columns(pl.col("person_pk").fill_null(0))


def keys_for(inputs: RunInputs) -> Keys:
    from jingzhun.registry.models import Household

    households = Household.objects.all()
    if inputs.region_prefix:
        households = households.filter(village__code__startswith=inputs.region_prefix)
    frame = pl.DataFrame(
        list(households.values_list("household_no", "pk")),
        schema={"household_id": pl.String, "household_pk": pl.Int64},
        orient="row",
    )
    persons = inputs.persons.select(member_id=pl.col("id"), person_pk=pl.col("id").cast(pl.Int64, strict=False))
    return Keys(frame, persons)
