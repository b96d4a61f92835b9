"""The batch path: the same payment lines as the reference engine, for a whole county or city, in Polars.

Inputs follow DESIGN.md's frames (households: ``id, region, area, registered_poor, annual_income_fen,
disqualified``; persons: ``id, household_id``, the POLICY.md §1 member fields, ``birth_date`` a date,
``disability_grade`` a nullable int8). Output: ``household_id, program, member_id`` (null for household
lines) and ``amount_fen`` (int64), zero lines left out, in the reference path's order.

Layout: strings are only hashed or compared where unavoidable. Persons are mapped to their household's row
once (``hx``): when the persons come grouped by household in the households' order — as the registry
exports them — that is a run-length pass; otherwise a hash join. Everything after that is dense integer
arithmetic on NumPy views of the Polars columns, gathered by ``hx`` and by the (region, area) lookup
index, which keeps memory access sequential (random access dominates on small-cache machines).

All money is integer fen and every rate an integer number of ten-thousandths, so each formula is an
exact rational ``num / den`` rounded once, half-up, as ``(2·num + den) // (2·den)`` — the same value the
reference path gets from ``fractions.Fraction``. Parameters are resolved once per (region, area) into a
small lookup frame and joined. A household with a missing parameter gets no lines and one error row per
missing parameter (same messages as the reference path).

Event programs (``temporary_assistance``, ``filial_reward``) are single-path only: the frames carry no
events. ``income_gap_insurance`` appears in December, as in the reference path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from jingzhun.policy.batch_params import RATE_SCALE, Lookup
from jingzhun.policy.document import Cpi
from jingzhun.policy.engine import parse_month
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
LINE_SCHEMA: dict[str, Any] = {
    "household_id": pl.String,
    "program": pl.String,
    "member_id": pl.String,
    "amount_fen": pl.Int64,
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
    lookup = Lookup.build(tree, first, _cpi_entry(cpi, month))
    hx = household_index(households["id"], persons["household_id"])
    try:
        lk_h = lookup.index(households["region"], households["area"])
    except ValueError as exc:
        raise BatchInputError([f"households {exc}"]) from None
    lk = np.take(lk_h, hx)
    at = _Gather(lookup, lk)

    # Person facts, as NumPy arrays in person order.
    disq_h = (households["disqualified"].list.len() > 0).to_numpy()
    poor_h = households["registered_poor"].to_numpy()
    income_h = households["annual_income_fen"].to_numpy()
    born = persons["birth_date"].to_physical().to_numpy()
    grade = persons["disability_grade"].fill_null(0).to_numpy()
    flag = {c: persons[c].to_numpy() for c in _BOOL_PERSON}
    severe = (grade == 1) | (grade == 2)

    def reached(age: str, rows: np.ndarray[Any, Any] | None = None) -> np.ndarray[Any, Any]:
        """age ≥ A on the first of the month ⇔ born on or before (year − A, month, 1)."""
        result: np.ndarray[Any, Any] = (born if rows is None else born[rows]) <= at(f"cut_{age}", rows)
        return result

    no_labour = (persons["labour"] == "none").to_numpy()
    tekun = ~np.take(disq_h, hx) & ~flag["income_source"] & ~flag["capable_supporter"]
    tekun &= reached("tk_elderly_age") | ~reached("tk_minor_age") | severe | no_labour

    # Household facts: counts by household row (persons are usually grouped, so hx is sequential).
    n_households = households.height
    size = np.bincount(hx, minlength=n_households)
    n_tekun = np.bincount(hx[tekun], minlength=n_households)
    n = size - n_tekun
    std_h = lookup.take("std_fen", lk_h)
    errored = lookup.base_failed[lk_h] | ((n_tekun > 0) & lookup.tekun_failed[lk_h]) | lookup.extra_failed[lk_h]
    eligible = ~errored & ~disq_h & (n >= 1) & (income_h < std_h * n)

    ok = ~np.take(errored, hx)
    member = np.take(eligible, hx) & ~tekun
    paying_tekun = ok & tekun
    home = (persons["care_setting"] == "home").to_numpy()
    poor = np.take(poor_h, hx)
    paid_ids = [pid for pid, done in (history or {}).items() if "major_illness_care" in done]
    paid_before = persons["id"].is_in(paid_ids).to_numpy() if paid_ids else np.zeros(len(hx), dtype=bool)
    price_on = lookup.take("price_num", lk_h).any()
    ids = (households["id"], hx, persons["id"])
    frames: list[pl.DataFrame] = []

    rows = np.flatnonzero(paying_tekun)
    basic = np.where(home[rows], at("basic_home_fen", rows), at("basic_institution_fen", rows))
    frames.append(_lines("tekun_basic", ids, rows, _half_up(basic, 12)))
    self_care = persons["self_care"].cast(pl.Enum(["full", "partial", "none"])).to_physical().to_numpy()
    fee = lookup.fees[lk[rows], np.where(home[rows], 0, 1), self_care[rows]]
    frames.append(_lines("tekun_care", ids, rows, _half_up(fee, 12)))

    rows = np.flatnonzero(eligible)
    frames.append(_lines("dibao", ids, rows, _half_up(std_h[rows] * n[rows] - income_h[rows], 12), household=True))

    rows = np.flatnonzero(member & (poor | (at("cl_registered_poor_only") == 0)))
    rate = np.zeros(len(rows), dtype=np.int64)
    g = grade[rows]
    for condition, name in (
        (severe[rows] | flag["serious_illness"][rows], "rate_severe"),
        ((g == 3) | (g == 4), "rate_disability"),
        (reached("cl_elderly_age", rows), "rate_elderly"),
        (~reached("cl_minor_age", rows), "rate_minor"),
    ):
        rate = np.where(condition, np.maximum(rate, at(name, rows)), rate)
    frames.append(_lines("dibao_classified", ids, rows, _half_up(rate * at("std_fen", rows), 12 * RATE_SCALE)))

    rows = np.flatnonzero(member & reached("elderly_min") & ~reached("elderly_max_plus_one"))
    frames.append(_lines("elderly_allowance", ids, rows, at("elderly_fen", rows)))
    certified = member & flag["disabled_elder_certified"]
    rows = np.flatnonzero(certified & reached("disabled_elder_min") & ~reached("disabled_elder_max_plus_one"))
    frames.append(_lines("disabled_elder_allowance", ids, rows, at("disabled_elder_fen", rows)))
    rows = np.flatnonzero(member & flag["disability_card_gen2"])
    frames.append(_lines("disability_living", ids, rows, at("living_fen", rows)))
    rows = np.flatnonzero(ok & severe & flag["needs_long_term_care"] & ~tekun)
    frames.append(_lines("disability_care", ids, rows, at("care_fen", rows)))

    if price_on:
        rows = np.flatnonzero(member | paying_tekun)
        amount = _half_up(at("std_fen", rows) * at("price_num", rows), 1200 * at("price_den", rows))
        frames.append(_lines("price_subsidy", ids, rows, amount))
    rows = np.flatnonzero(ok & poor & flag["late_stage_major_disease"] & ~paid_before)
    frames.append(_lines("major_illness_care", ids, rows, at("major_fen", rows)))

    if first.month == 12:
        rural = (households["area"] == "rural").to_numpy()
        rows = np.flatnonzero(~errored & (lookup.take("insurance_on", lk_h) == 1) & rural)
        gap = lookup.take("poverty_line_fen", lk_h[rows]) * size[rows] - income_h[rows]
        frames.append(_lines("income_gap_insurance", ids, rows, gap, household=True))
    return BatchResult(pl.concat(frames, how="vertical"), lookup.errors(households["id"], errored, n_tekun > 0, lk_h))


class _Gather:
    """Per-person parameter values: a scalar when every (region, area) row agrees, else gathered by ``lk``."""

    def __init__(self, lookup: Lookup, lk: np.ndarray[Any, Any]) -> None:
        self.lookup, self.lk = lookup, lk

    def __call__(self, name: str, rows: np.ndarray[Any, Any] | None = None) -> Any:
        uniform = self.lookup.uniform(name)
        if uniform is not None:
            return uniform
        return self.lookup.take(name, self.lk if rows is None else self.lk[rows])


_BOOL_PERSON = (
    "income_source",
    "capable_supporter",
    "serious_illness",
    "disabled_elder_certified",
    "disability_card_gen2",
    "needs_long_term_care",
    "late_stage_major_disease",
)
_SELF_CARE = {"full": 0, "partial": 1, "none": 2}


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


def _half_up(num: np.ndarray[Any, Any], den: np.ndarray[Any, Any] | int) -> np.ndarray[Any, Any]:
    return (2 * num + den) // (2 * den)


def _lines(
    program: str,
    ids: tuple[pl.Series, np.ndarray[Any, Any], pl.Series],
    rows: np.ndarray[Any, Any],
    amount: Any,
    *,
    household: bool = False,
) -> pl.DataFrame:
    """Lines for ``rows`` (person rows, or household rows when ``household``), zero amounts left out."""
    household_ids, hx, person_ids = ids
    amount = np.broadcast_to(np.asarray(amount, dtype=np.int64), rows.shape)
    keep = amount > 0
    if not keep.all():
        rows, amount = rows[keep], amount[keep]
    count = len(rows)
    return pl.DataFrame(
        {
            "household_id": household_ids.gather(rows if household else np.take(hx, rows)),
            "program": pl.Series([program], dtype=pl.String).new_from_index(0, count),
            "member_id": pl.Series([None], dtype=pl.String).new_from_index(0, count)
            if household
            else person_ids.gather(rows),
            "amount_fen": amount,
        },
        schema=LINE_SCHEMA,
    )
