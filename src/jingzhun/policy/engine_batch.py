"""The batch path: the same payment lines as the reference engine, for a whole county or city, in Polars.

Inputs follow DESIGN.md's frames (households: ``id, region, area, registered_poor, annual_income_fen,
disqualified``; persons: ``id, household_id``, the POLICY.md §1 member fields, ``birth_date`` a date,
``disability_grade`` a nullable int8). Output: ``household_id, program, member_id`` (null for household
lines) and ``amount_fen`` (int64), zero lines left out, in the reference path's order.

The rules are the programs' own (``programs/*.py``, named Polars expressions), evaluated by
``evaluate.py`` — the same expressions the document path runs with its explanations; here only who is
paid and how much are computed. Persons are mapped to their household's row once (``hx``): when the
persons come grouped by household in the households' order — as the registry exports them — that is a
run-length pass; otherwise a hash join. Parameters are resolved once per (region, area) into a small
lookup table (``batch_params.Lookup``) and read by each row's ``lk``; a value every region shares is a
literal.

All money is integer fen and every rate an integer number of ten-thousandths, so each formula is an
exact rational ``num / den`` rounded once, half-up, as ``(2·num + den) // (2·den)`` — the value
``fractions.Fraction`` would give. A household with a missing parameter gets no lines and one error row
per missing parameter (the same messages as the document path).

Event programs (``temporary_assistance``, ``filial_reward``) are single-path only: the frames carry no
events. ``income_gap_insurance`` appears in December, as in the reference path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from jingzhun.policy.batch_params import Lookup
from jingzhun.policy.document import Cpi
from jingzhun.policy.engine import parse_month
from jingzhun.policy.evaluate import LINE_SCHEMA as LINE_SCHEMA  # re-exported: the ledger reads it here
from jingzhun.policy.evaluate import batch_lines, prepare
from jingzhun.policy.money import parse_decimal
from jingzhun.policy.params import ParameterTree, load_parameters

HOUSEHOLD_SCHEMA: dict[str, Any] = {
    "id": pl.String,
    "region": pl.String,
    "area": pl.String,
    "registered_poor": pl.Boolean,
    "annual_income_fen": pl.Int64,
    "disqualified": pl.List(pl.String),
}
PERSON_SCHEMA: dict[str, Any] = {
    "id": pl.String,
    "household_id": pl.String,
    "birth_date": pl.Date,
    "disability_grade": pl.Int8,
    "disability_card_gen2": pl.Boolean,
    "needs_long_term_care": pl.Boolean,
    "disabled_elder_certified": pl.Boolean,
    "self_care": pl.String,
    "labour": pl.String,
    "student": pl.String,
    "serious_illness": pl.Boolean,
    "late_stage_major_disease": pl.Boolean,
    "income_source": pl.Boolean,
    "capable_supporter": pl.Boolean,
    "care_setting": pl.String,
}


class BatchInputError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class BatchResult:
    lines: pl.DataFrame
    errors: pl.DataFrame


def compute_batch(
    households: pl.DataFrame,
    persons: pl.DataFrame,
    month: str,
    *,
    params: ParameterTree | None = None,
    cpi: Mapping[str, Any] | None = None,
    history: Mapping[str, Iterable[str]] | None = None,
) -> pl.DataFrame:
    """Payment lines for every household (households with a missing parameter are left out; see
    :func:`compute_batch_with_errors` for their messages)."""
    return compute_batch_with_errors(households, persons, month, params=params, cpi=cpi, history=history).lines


def _cpi_entry(cpi: Mapping[str, Any] | None, month: str) -> Cpi | None:
    if not cpi or month not in cpi:
        return None
    entry = cpi[month]
    if isinstance(entry, Cpi):
        return entry
    return Cpi(parse_decimal(str(entry["all"])), parse_decimal(str(entry["food"])))


def _check(households: pl.DataFrame, persons: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    errors = []
    for label, frame, schema in (("households", households, HOUSEHOLD_SCHEMA), ("persons", persons, PERSON_SCHEMA)):
        missing = [c for c in schema if c not in frame.columns]
        if missing:
            errors.append(f"{label} 缺少列 (missing columns): {', '.join(missing)}")
    if errors:
        raise BatchInputError(errors)
    try:
        households = households.select(pl.col(c).cast(t) for c, t in HOUSEHOLD_SCHEMA.items())
        persons = persons.select(pl.col(c).cast(t) for c, t in PERSON_SCHEMA.items())
    except pl.exceptions.PolarsError as exc:
        raise BatchInputError([f"列类型不符 (column types): {exc}"]) from exc
    for label, frame in (("households", households), ("persons", persons)):
        nulls = [c for c in frame.columns if c != "disability_grade" and frame[c].null_count()]
        if nulls:
            errors.append(f"{label} 列不得有空值 (nulls): {', '.join(nulls)}")
    if errors:
        raise BatchInputError(errors)
    return households, persons


def compute_batch_with_errors(
    households: pl.DataFrame,
    persons: pl.DataFrame,
    month: str,
    *,
    params: ParameterTree | None = None,
    cpi: Mapping[str, Any] | None = None,
    history: Mapping[str, Iterable[str]] | None = None,
) -> BatchResult:
    """Lines, plus one error row (``household_id``, ``message``) per missing parameter of a household."""
    first = parse_month(month)
    tree = params if params is not None else load_parameters()
    households, persons = _check(households, persons)
    entry = _cpi_entry(cpi, month)
    lookup = Lookup.build(tree, first, entry)
    hx = household_index(households["id"], persons["household_id"])
    try:
        lk_h = lookup.index(households["region"], households["area"])
    except ValueError as exc:
        raise BatchInputError([f"households {exc}"]) from None
    frames = prepare(households, persons, hx, lk_h, lookup, first, cpi=entry, history=history)
    lines = batch_lines(frames)
    return BatchResult(lines, lookup.errors(households["id"], frames.errored, frames.n_tekun > 0, lk_h))


def household_index(household_ids: pl.Series, person_household_ids: pl.Series) -> np.ndarray[Any, Any]:
    """Each person's household row. Fast path: persons grouped by household, in the households' order."""
    runs = person_household_ids.rle_id().to_numpy().astype(np.int64)
    if len(runs) and runs[-1] + 1 == household_ids.len():
        starts = np.flatnonzero(np.diff(runs, prepend=-1))
        if (person_household_ids.gather(starts) == household_ids).all():
            return runs
    if household_ids.is_duplicated().any():
        duplicated = household_ids.filter(household_ids.is_duplicated()).unique().head(10).to_list()
        raise BatchInputError([f"households 户编号重复 [id]: {', '.join(duplicated)}"])
    joined = pl.DataFrame({"household_id": person_household_ids}).join(
        pl.DataFrame({"household_id": household_ids}).with_row_index("hx"),
        on="household_id",
        how="left",
        maintain_order="left",
    )["hx"]
    if joined.null_count():
        unknown = person_household_ids.filter(joined.is_null()).unique().head(10).to_list()
        raise BatchInputError([f"persons 的户编号不在 households 中 [household_id]: {', '.join(unknown)}"])
    index: np.ndarray[Any, Any] = joined.to_numpy().astype(np.int64)
    return index
