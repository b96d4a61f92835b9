"""Evaluate the programs' rules (``programs/*.py``, :mod:`jingzhun.policy.rules`) over frames.

The one evaluator both paths use. Households and persons come as DESIGN.md's frames (a document is
turned into them by ``engine``); persons are mapped to their household's row once (``hx``), households
to their (region, area) parameter row (``lk``). Then, in the stages of POLICY.md:

1. over persons, the 特困 test (``tekun_basic.test``: ``age``, ``tekun_person``);
2. over households, the 低保 test (``dibao.test``: ``n``, ``receives_dibao``) on the counts of step 1,
   and whether the household can be computed at all (``ok``: its parameters exist);
3. each person or household program's ``rule(p)``: the rows where it ``pays``, with the amount rounded
   once, half-up — for the batch only the amount; for explanations every step column as well.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np
import polars as pl

from jingzhun.policy.batch_params import Lookup
from jingzhun.policy.document import Cpi
from jingzhun.policy.programs import FRAME_PROGRAMS, dibao, major_illness_care, tekun_basic
from jingzhun.policy.rules import Params, Rule, frac, half_up

LINE_SCHEMA: dict[str, Any] = {
    "household_id": pl.String,
    "program": pl.String,
    "member_id": pl.String,
    "amount_fen": pl.Int64,
}


@dataclass
class Frames:
    """Households and persons with the columns every rule reads, and which households can be computed."""

    households: pl.DataFrame
    persons: pl.DataFrame
    params: Params
    errored: np.ndarray[Any, Any]
    n_tekun: np.ndarray[Any, Any]
    lk: np.ndarray[Any, Any]


def prepare(
    households: pl.DataFrame,
    persons: pl.DataFrame,
    hx: np.ndarray[Any, Any],
    lk_h: np.ndarray[Any, Any],
    lookup: Lookup,
    first: dt.date,
    *,
    cpi: Cpi | None = None,
    history: Mapping[str, Iterable[str]] | None = None,
    explain: bool = False,
) -> Frames:
    """Stages 1 and 2. ``hx``: each person's household row; ``lk_h``: each household's lookup row."""
    p = Params(lookup, first)
    n_households = households.height
    disq_h = (households["disqualified"].list.len() > 0).to_numpy()
    extra: dict[str, Any] = {
        "hx": hx,
        "lk": np.take(lk_h, hx),
        "disq": np.take(disq_h, hx),
        "registered_poor": households["registered_poor"].gather(hx),
    }
    if explain:
        extra["area"] = households["area"].gather(hx)
        extra["disqualified"] = households["disqualified"].gather(hx)
    test = lookup.memo.get("tekun_test")
    if test is None:
        test = lookup.memo["tekun_test"] = tekun_basic.test(p)
    wanted = test if explain else {"tekun_person": test["tekun_person"]}  # age and conditions: words only
    people = persons.with_columns(**extra).with_columns(**wanted)
    tekun = people["tekun_person"].to_numpy()
    size = np.bincount(hx, minlength=n_households)
    n_tekun = np.bincount(hx[tekun], minlength=n_households)
    errored = lookup.base_failed[lk_h] | ((n_tekun > 0) & lookup.tekun_failed[lk_h]) | lookup.extra_failed[lk_h]
    homes = households.with_columns(
        hx=np.arange(n_households), lk=lk_h, disq=disq_h, size=size, n_tekun=n_tekun, ok=~errored
    ).with_columns(**_memo(lookup, "dibao_test", lambda: dibao.test(p)))
    if explain:
        left_out = (
            people.lazy().filter(pl.col("tekun_person")).group_by("hx").agg(tekun_ids=pl.col("id").sort()).collect()
        )
        homes = homes.join(left_out, on="hx", how="left").with_columns(
            pl.col("tekun_ids").fill_null(pl.lit([], pl.List(pl.String)))
        )
    receives = homes["receives_dibao"].to_numpy() & ~errored
    paid_ids = [pid for pid, done in (history or {}).items() if major_illness_care.PROGRAM in done]
    more: dict[str, Any] = {
        "ok": np.take(~errored, hx),
        "receives_dibao": np.take(receives, hx),
        "paid_before": people["id"].is_in(paid_ids) if paid_ids else pl.repeat(False, people.height, eager=True),
    }
    if explain:
        for name, value in (("cpi_all_items", cpi.all_items if cpi else None), ("cpi_food", cpi.food if cpi else None)):
            more[name] = frac(pl.lit(value.numerator), value.denominator) if value is not None else pl.lit(None)
    people = people.with_columns(**more).with_columns(dibao_member=pl.col("receives_dibao") & ~pl.col("tekun_person"))
    return Frames(homes, people, p, errored, n_tekun, lk_h)


def _rule(module: ModuleType, p: Params) -> Rule:
    """The program's rule over this lookup table (built once per table: the expressions only depend on
    which parameter values every region shares)."""
    key = ("rule", module.PROGRAM)
    found = p.lookup.memo.get(key)
    if found is None:
        found = p.lookup.memo[key] = module.rule(p)
    assert isinstance(found, Rule)
    return found


def _memo(lookup: Lookup, key: str, build: Any) -> Any:
    found = lookup.memo.get(key)
    if found is None:
        found = lookup.memo[key] = build()
    return found


def _paying(frame: pl.LazyFrame, rule: Rule) -> pl.LazyFrame:
    amount = half_up(rule.amount_num, rule.amount_den)
    return frame.filter(rule.pays & pl.col("ok")).with_columns(amount_fen=amount).filter(pl.col("amount_fen") > 0)


def batch_lines(frames: Frames) -> pl.DataFrame:
    """Every program's lines (LINE_SCHEMA), program by program in statement order, rows in frame order."""
    queries = []
    for module in FRAME_PROGRAMS:
        rule = _rule(module, frames.params)
        if module.LEVEL == "household":
            frame = frames.households.lazy().select("id", "ok", *_household_columns(frames.households))
            ids = [pl.col("id").alias("household_id"), pl.lit(None, pl.String).alias("member_id")]
        else:
            frame = frames.persons.lazy()
            ids = [pl.col("household_id"), pl.col("id").alias("member_id")]
        query = _paying(frame, rule).select(*ids, pl.lit(module.PROGRAM).alias("program"), "amount_fen")
        queries.append(query.select(LINE_SCHEMA.keys()))
    return pl.concat(pl.collect_all(queries), how="vertical")


def _household_columns(homes: pl.DataFrame) -> list[str]:
    return [c for c in homes.columns if c not in ("id", "ok", "disqualified")]


def explained(frames: Frames, modules: Iterable[ModuleType] = FRAME_PROGRAMS) -> list[tuple[ModuleType, pl.DataFrame]]:
    """For each program, the paying rows with every step column, the inputs it names, the fields its
    parameter names are formatted with, ``amount_fen``, the exact amount and ``persons``."""
    queries, chosen = [], []
    for module in modules:
        rule = _rule(module, frames.params)
        household = module.LEVEL == "household"
        frame = (frames.households if household else frames.persons).lazy()
        steps = {f"step:{name}": expr for name, expr in rule.steps.items()}
        inputs = {f"input:{key}": pl.col(column) for key, column in module.INPUTS.items()}
        persons = rule.persons if isinstance(rule.persons, pl.Expr) else pl.lit(rule.persons)
        query = _paying(frame, rule).select(
            pl.col("hx"),
            pl.col("lk"),
            (pl.lit(None, pl.String) if household else pl.col("id")).alias("member_id"),
            *(pl.col(f) for f in _template_fields(module) if f not in rule.steps),
            pl.col("amount_fen"),
            rule.amount_num.cast(pl.Int64).alias("amount_num"),
            (rule.amount_den if isinstance(rule.amount_den, pl.Expr) else pl.lit(rule.amount_den)).alias("amount_den"),
            persons.cast(pl.Int64).alias("persons"),
            **steps,
            **inputs,
        )
        queries.append(query)
        chosen.append(module)
    return list(zip(chosen, pl.collect_all(queries), strict=True))


def _template_fields(module: ModuleType) -> list[str]:
    import string

    fields: list[str] = []
    for template in module.PARAMETERS:
        for _, name, _, _ in string.Formatter().parse(template):
            if name and name not in fields:
                fields.append(name)
    return fields
