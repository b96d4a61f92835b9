"""The document path's lines: a document's households as frames, the rules evaluated with their steps,
and each paying row turned into an explained :class:`~jingzhun.policy.calc.Line`.

A line's ``inputs`` are the facts its program names (``INPUTS``), its ``steps`` the rule's step
columns, its ``parameters`` the program's ``PARAMETERS`` with the value, date and region each came from
(the lookup row the household's region and area resolved to). Households whose parameters are missing
get the same messages, in the same stages, as before (``engine``'s docstring). The event programs
(临时救助, 孝亲敬老) are computed per household here, from the document's events and support records.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from fractions import Fraction
from operator import attrgetter
from types import ModuleType
from typing import Any

import numpy as np
import polars as pl

from jingzhun.policy.batch_params import Lookup
from jingzhun.policy.calc import Line, ParamUse
from jingzhun.policy.context import HouseholdMonth
from jingzhun.policy.document import Document, Household
from jingzhun.policy.engine import FILIAL, TEMPORARY, HouseholdResult, Resolver, base_parameters
from jingzhun.policy.evaluate import Frames, explained, prepare
from jingzhun.policy.money import fen_to_str, round_fen
from jingzhun.policy.params import ParameterTree, Resolved
from jingzhun.policy.programs import NAMES_ZH, ORDER, filial_reward, temporary_assistance

_KEYS = re.compile(r"\[(\w+)\]")
_BOOLS = (
    "disability_card_gen2",
    "needs_long_term_care",
    "disabled_elder_certified",
    "serious_illness",
    "late_stage_major_disease",
    "income_source",
    "capable_supporter",
)
_TEXTS = ("self_care", "labour", "student", "care_setting")


def frames_of(households: list[Household]) -> tuple[pl.DataFrame, pl.DataFrame, np.ndarray[Any, Any]]:
    """The households and their members as DESIGN.md's frames, and each person's household row."""
    from jingzhun.policy.engine_batch import HOUSEHOLD_SCHEMA, PERSON_SCHEMA

    homes = pl.DataFrame(
        {
            "id": [h.id for h in households],
            "region": [h.region for h in households],
            "area": [h.area for h in households],
            "registered_poor": [h.registered_poor for h in households],
            "annual_income_fen": [_fen(h.annual_income) for h in households],
        },
        schema={name: dtype for name, dtype in HOUSEHOLD_SCHEMA.items() if name != "disqualified"},
    ).with_columns(disqualified=_string_lists([h.disqualified for h in households]))
    members = [m for h in households for m in h.members]
    columns: dict[str, Any] = {"household_id": [h.id for h in households for _ in h.members]}
    for name in ("id", "birth_date", "disability_grade", *_BOOLS, *_TEXTS):
        columns[name] = list(map(attrgetter(name), members))
    people = pl.DataFrame(columns, schema={name: PERSON_SCHEMA[name] for name in columns})
    hx = np.repeat(np.arange(len(households), dtype=np.int64), [len(h.members) for h in households])
    return homes, people, hx


def _string_lists(lists: list[tuple[str, ...]]) -> pl.Series:
    """A ``List(String)`` column from short tuples (mostly empty), without one Series per row: the
    values joined by a separator no enum value contains, split once in Polars."""
    joined = pl.Series([_SEPARATOR.join(values) for values in lists], dtype=pl.String)
    empty = pl.lit([], pl.List(pl.String))
    split = pl.when(pl.col("s") == "").then(empty).otherwise(pl.col("s").str.split(_SEPARATOR))
    return joined.to_frame("s").select(split.alias("disqualified")).to_series()


_SEPARATOR = "\x1f"


def _fen(yuan: Fraction) -> int:
    fen, rest = divmod(yuan.numerator * 100, yuan.denominator)
    assert rest == 0, "the document allows at most two decimals (fen)"
    return fen


def compute_households(
    doc: Document, households: list[Household], first: dt.date, tree: ParameterTree
) -> list[HouseholdResult]:
    results = [HouseholdResult(h.id) for h in households]
    if not households:
        return results
    frames, lookup, lk_h = _evaluate(doc, households, first, tree, results)
    cache: dict[Any, Any] = {}
    for module, frame in explained(frames):
        for values in frame.iter_rows(named=True):
            results[values["hx"]].lines.append(_line(module, values, lookup, cache))
    _event_programs(doc, households, first, tree, results, lookup, lk_h)
    _zero_top_ups(frames.households, results, lookup)
    for result in results:
        if len(result.lines) > 1:
            result.lines.sort(key=lambda line: ORDER[line.program])
    return results


def _evaluate(
    doc: Document, households: list[Household], first: dt.date, tree: ParameterTree, results: list[HouseholdResult]
) -> tuple[Frames, Lookup, np.ndarray[Any, Any]]:
    """The households as frames with the rules' test columns, and each household's missing parameters
    (engine's stages) recorded on its result."""
    month_key = f"{first.year:04d}-{first.month:02d}"
    cpi = doc.cpi.get(month_key)
    lookup = Lookup.build(tree, first, cpi)
    homes, people, hx = frames_of(households)
    lk_h = lookup.index(homes["region"], homes["area"])
    frames = prepare(homes, people, hx, lk_h, lookup, first, cpi=cpi, history=doc.history, explain=True)
    for i, result in enumerate(results):
        row = lookup.rows[lk_h[i]]
        if row["base_errors"]:
            result.errors.extend(row["base_errors"])
            continue
        if frames.n_tekun[i]:
            result.errors.extend(row["tekun_errors"])
        result.errors.extend(row["extra_errors"])
        if cpi is not None:
            result.program_errors.extend(f"{NAMES_ZH['price_subsidy']}：{m}" for m in row["price_errors"])
    return frames, lookup, lk_h


def _line(module: ModuleType, row: Mapping[str, Any], lookup: Lookup, cache: dict[Any, Any]) -> Line:
    """One paying row as a :class:`Line`. ``cache`` (one per computation) keeps what repeats across rows:
    the module's column names, the parameter uses of a (lookup row, labels) and the Fractions of repeated
    (numerator, denominator) pairs (a region's monthly standard, a rate)."""
    shape = cache.get(module)
    if shape is None:
        inputs_of = tuple((key, f"input:{key}", column.endswith("_fen")) for key, column in module.INPUTS.items())
        steps_of = tuple((key[5:], key) for key in row if key.startswith("step:"))
        fields_of = tuple((template, _fields(template)) for template in module.PARAMETERS)
        shape = cache[module] = (inputs_of, steps_of, fields_of)
    inputs_of, steps_of, fields_of = shape
    fractions: dict[tuple[int, int], Fraction] = cache.setdefault("fractions", {})
    inputs: dict[str, object] = {}
    for key, column, is_fen in inputs_of:
        value = row[column]
        if is_fen and value is not None:
            inputs[key] = _fraction(fractions, value, 100)
        elif type(value) is dict:
            inputs[key] = _struct_fraction(fractions, value)
        else:
            inputs[key] = value
    steps: dict[str, object] = {}
    for key, column in steps_of:
        value = row[column]
        if value is not None:
            steps[key] = _struct_fraction(fractions, value) if type(value) is dict else value
    fen = row["amount_fen"]
    steps["amount_exact"] = _fraction(fractions, row["amount_num"], row["amount_den"] * 100)
    steps["amount"] = fen_to_str(fen)
    lk = row["lk"]
    labels = tuple(
        template.format(**{name: row[name] if name in row else row[f"step:{name}"] for name in names})
        if names
        else template
        for template, names in fields_of
    )
    used = cache.get((lk, labels))
    if used is None:
        used = []
        for label in labels:
            use = cache.get((lk, label))
            if use is None:
                resolved: Resolved = lookup.rows[lk]["resolved"][label.split("[", 1)[0]]
                keys = _KEYS.findall(label)
                use = cache[(lk, label)] = ParamUse(label, resolved.leaf(*keys) if keys else resolved.value, resolved)
            used.append(use)
        cache[(lk, labels)] = used
    return Line(module.PROGRAM, row["member_id"], fen, row["persons"], inputs, steps, list(used))


def _fraction(known: dict[tuple[int, int], Fraction], num: int, den: int) -> Fraction:
    found = known.get((num, den))
    if found is None:
        found = Fraction(num, den)
        if len(known) < 100_000:
            known[(num, den)] = found
    return found


def _struct_fraction(known: dict[tuple[int, int], Fraction], value: dict[str, Any]) -> Any:
    """A ``frac`` step's ``{"num", "den"}`` as a Fraction (``rules.to_fraction``, with repeats shared)."""
    if value.keys() != {"num", "den"}:
        return value
    num, den = value["num"], value["den"]
    if num is None or den is None or den == 0:
        return None
    return _fraction(known, num, den)


_FIELDS: dict[str, tuple[str, ...]] = {}


def _fields(template: str) -> tuple[str, ...]:
    found = _FIELDS.get(template)
    if found is None:
        import string

        found = _FIELDS[template] = tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)
    return found


def _event_programs(
    doc: Document,
    households: list[Household],
    first: dt.date,
    tree: ParameterTree,
    results: list[HouseholdResult],
    lookup: Lookup,
    lk_h: np.ndarray[Any, Any],
) -> None:
    """临时救助 and 孝亲敬老 for the households with an event or a support record paying this month."""
    if not doc.events and not doc.support_payments:
        return
    with_event = {e.household for e in doc.events if (e.date.year, e.date.month) == (first.year, first.month)}
    with_support = {p.household for p in doc.support_payments if p.date.year == first.year}
    people = {m.id: m for h in doc.households for m in h.members}
    resolver = Resolver(tree, first)
    for i, household in enumerate(households):
        result = results[i]
        if household.id not in with_event and household.id not in with_support:
            continue
        params: dict[str, Resolved] = {}
        missing: list[str] = []
        resolver.resolve(household.region, base_parameters(household.area), params, missing)
        if missing:
            continue  # the household's base error is already listed
        standard = Fraction(int(lookup.column("std_fen")[lk_h[i]]), 1200)
        ctx = HouseholdMonth(household, first, params, doc, people, standard)
        skipped: set[str] = set()
        if household.id in with_event:
            _program_parameters(resolver, household, temporary_assistance, TEMPORARY, params, result, skipped)
        if result.errors:
            continue
        if household.id in with_support and filial_reward.pays_this_month(ctx):
            _program_parameters(resolver, household, filial_reward, FILIAL, params, result, skipped)
        for module in (temporary_assistance, filial_reward):
            if module.PROGRAM not in skipped:
                result.lines.extend(module.compute(ctx))


def _program_parameters(
    resolver: Resolver,
    household: Household,
    module: ModuleType,
    names: tuple[str, ...],
    params: dict[str, Resolved],
    result: HouseholdResult,
    skipped: set[str],
) -> None:
    """Resolve one program's own parameters; when one is missing, that program is skipped and named."""
    missing: list[str] = []
    resolver.resolve(household.region, names, params, missing)
    if missing:
        skipped.add(module.PROGRAM)
        result.program_errors.extend(f"{module.NAME_ZH}：{message}" for message in missing)


def _zero_top_ups(
    homes: pl.DataFrame, results: list[HouseholdResult], lookup: Lookup, paid: set[int] | None = None
) -> None:
    """A household that receives 低保 with a top-up rounding to 0.00 still receives it (POLICY.md §3).
    ``paid``: the rows of the households with a 低保 line (default: read from their results' lines)."""
    std = lookup.column("std_fen")
    receiving = homes.filter(pl.col("receives_dibao") & pl.col("ok")).select("hx", "lk", "n", "annual_income_fen")
    for hx, lk, n, income in receiving.iter_rows():
        result = results[hx]
        if hx in paid if paid is not None else any(line.program == "dibao" for line in result.lines):
            continue
        s, y = Fraction(int(std[lk]), 1200), Fraction(income, 1200 * n)
        result.notes.append(
            f"享受低保（补差为 0.00 元）：低保补差 = ({fen_to_str(round_fen(s))} − {fen_to_str(round_fen(y))}) × "
            f"{n} 人，不足 0.005 元，四舍五入为 0.00 元；月人均收入低于低保标准，仍为低保户，"
            "可享受高龄、残疾等随低保发放的补贴与价格临时补贴"
        )
