"""The county-scale path of ``jingzhun medical settle``: columns instead of objects, same output to the byte.

:mod:`settle` and :mod:`render` are the reference — one ``Stay`` and one ``Settlement`` object at a time,
each line's sentence built as it is computed. At 100 000 stays that took ~8 s of CPU, most of it in
≈18 money-formatting calls and one JSON string per stay (bench/bench_medical.py). This module computes
the same figures and writes the same JSON text from Polars columns:

* **Reading** (:func:`frame_from_records`, :func:`frame_from_csv`): a document whose every stay is well
  formed is checked column by column (types, enums, money and date patterns, unique ids, dates in order,
  in-catalogue ≤ total); anything else returns ``None`` and the caller goes through the reference parser,
  which names every problem. Money in integer fen (Int64), at most 12 digits of yuan on this path.
* **Lines 1–3** (基本医保, 大病保险, 补充医保) are closed forms over the stays sorted by person, discharge
  date and id: the 大病保险 base A is a cumulative sum per person-year. ``rate × fen`` rounds half-up as
  ``(2·fen·num + den) // (2·den)`` on exact integer numerators and denominators of the rate.
* **Lines 4–5** (医疗救助, "136") carry capped amounts from stay to stay — the yearly 20 000 of 医疗救助 and
  the "136" cap of the year's highest level. Both are capped cumulative sums, closed forms per person-year
  (:func:`_carry_columns`); a person-year where they are not (its stays change the regional order or the
  caps, or 兴县's order lets 医疗救助 change what "136" carries) runs in one tight loop over plain ints
  (:func:`_carry`; no objects, no strings).
* **Sentences and JSON** are assembled by Polars string expressions, only the fixed texts of the reference
  in between; :func:`write_json` writes what :func:`jingzhun.policy.medical.render.write_json` writes.

tests/policy/test_medical_fast.py compares the two paths byte for byte on random documents (both orders,
both cap periods, several stays per person and year, boundaries of every line).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

import polars as pl

from jingzhun.policy import regions
from jingzhun.policy.medical.settle import ORDER, ORDER_CAP136_FIRST, ORDER_PARAMETER, Rules, RulesCache
from jingzhun.policy.medical.stays import FIELDS, LEVELS, Stay
from jingzhun.policy.params import MissingParameter, Resolved

_FIELD_ORDER = tuple(FIELDS)
_COUNTIES = frozenset(regions.COUNTIES)
_LEVEL_INDEX = {"county": 0, "city": 1, "province": 2, "outside": 3}
_LEVEL_NAMES = tuple(LEVELS)  # by _LEVEL_INDEX
_MONEY = r"^[0-9]{1,12}(\.[0-9]{1,2})?$"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_UNSAFE_ID = r'[\x00-\x1f"\\]'
_RATES = ("serious", "supplementary", "assistance")


# Reading ------------------------------------------------------------------------------------------------


def frame_from_records(items: Any) -> pl.DataFrame | None:
    """The stays of a decoded document's ``stays`` list when every one is well formed, else None."""
    if type(items) is not list or not items:
        return None
    if not all(type(item) is dict and len(item) == len(_FIELD_ORDER) for item in items):
        return None
    try:
        columns = {name: [item[name] for item in items] for name in _FIELD_ORDER}
    except KeyError:
        return None
    return _frame(columns)


def frame_from_csv(text: str) -> pl.DataFrame | None:
    """The stays of CSV text (header = the field names, any order) when every row is well formed."""
    import csv

    rows = [row for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        return None
    header = [cell.strip() for cell in rows[0]]
    if sorted(header) != sorted(_FIELD_ORDER) or any(len(row) != len(header) for row in rows):
        return None
    columns = dict(zip(header, zip(*rows[1:], strict=True), strict=True))
    record: dict[str, Sequence[Any]] = {}
    for name in _FIELD_ORDER:
        cells = [cell.strip() for cell in columns[name]]
        if name in ("registered_poor", "dibao_or_tekun"):
            flags = {"true": True, "false": False}
            if not set(cells) <= flags.keys():
                return None
            record[name] = [flags[cell] for cell in cells]
        else:
            record[name] = cells
    return _frame(record)


def frame_from_stays(stays: Sequence[Stay]) -> pl.DataFrame:
    """Validated :class:`Stay` objects (the reference parser's output) as the columns this module uses."""
    return pl.DataFrame(
        {
            "id": [s.id for s in stays],
            "person": [s.person for s in stays],
            "registered_poor": [s.registered_poor for s in stays],
            "dibao_or_tekun": [s.dibao_or_tekun for s in stays],
            "region": [s.region for s in stays],
            "level": [_LEVEL_INDEX[s.level] for s in stays],
            "admitted": [s.admitted for s in stays],
            "discharged": [s.discharged for s in stays],
            "total": [s.total for s in stays],
            "in_catalogue": [s.in_catalogue for s in stays],
        },
        schema=_SCHEMA,
    )


_SCHEMA = {
    "id": pl.String,
    "person": pl.String,
    "registered_poor": pl.Boolean,
    "dibao_or_tekun": pl.Boolean,
    "region": pl.String,
    "level": pl.Int8,
    "admitted": pl.Date,
    "discharged": pl.Date,
    "total": pl.Int64,
    "in_catalogue": pl.Int64,
}


def _frame(columns: Mapping[str, Sequence[Any]]) -> pl.DataFrame | None:
    try:
        return _checked_frame(columns)
    except (TypeError, ValueError, OverflowError, pl.exceptions.PolarsError):  # unhashable, odd text: the long way
        return None


def _checked_frame(columns: Mapping[str, Sequence[Any]]) -> pl.DataFrame | None:
    ids, persons = columns["id"], columns["person"]
    for texts in (ids, persons):
        if set(map(type, texts)) != {str} or not all(map(str.strip, texts)):
            return None
    if len(set(ids)) != len(ids):
        return None
    for name in ("registered_poor", "dibao_or_tekun"):
        if set(map(type, columns[name])) != {bool}:
            return None
    if not set(columns["region"]) <= _COUNTIES or not set(columns["level"]) <= _LEVEL_INDEX.keys():
        return None
    dates, money = {}, {}
    for name in ("admitted", "discharged"):
        raw = columns[name]
        kinds = set(map(type, raw))
        if kinds == {dt.date}:  # YAML's unquoted dates
            dates[name] = pl.Series(name, raw, dtype=pl.Date)
            continue
        if not kinds <= {str, dt.date}:
            return None
        if dt.date in kinds:
            raw = [v.isoformat() if type(v) is dt.date else v for v in raw]
        text = pl.Series(name, raw, dtype=pl.String)
        if not text.str.contains(_DATE).all():
            return None
        parsed = text.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        if parsed.null_count() or (parsed.dt.year() < 1).any():
            return None
        dates[name] = parsed
    for name in ("total", "in_catalogue"):
        raw = columns[name]
        kinds = set(map(type, raw))
        if not kinds <= {str, int}:
            return None
        if int in kinds:
            raw = [str(v) if type(v) is int and 0 <= v < 10**12 else v for v in raw]
            if set(map(type, raw)) != {str}:
                return None
        text = pl.Series(name, raw, dtype=pl.String)
        if not text.str.contains(_MONEY).all():
            return None
        parts = text.str.split_exact(".", 1).struct.unnest()
        whole = parts["field_0"].cast(pl.Int64)
        cents = parts["field_1"].fill_null("").str.pad_end(2, "0").cast(pl.Int64)
        money[name] = (whole * 100 + cents).alias(name)
    frame = pl.DataFrame(
        {
            "id": pl.Series(ids, dtype=pl.String),
            "person": pl.Series(persons, dtype=pl.String),
            "registered_poor": pl.Series(columns["registered_poor"], dtype=pl.Boolean),
            "dibao_or_tekun": pl.Series(columns["dibao_or_tekun"], dtype=pl.Boolean),
            "region": pl.Series(columns["region"], dtype=pl.String),
            "level": pl.Series(columns["level"], dtype=pl.String).replace_strict(_LEVEL_INDEX, return_dtype=pl.Int8),
            **dates,
            **money,
        }
    )
    ok = frame.select(
        (pl.col("discharged") >= pl.col("admitted")).all()
        & (pl.col("total") > 0).all()
        & (pl.col("in_catalogue") <= pl.col("total")).all()
    ).item()
    return frame if ok else None


# Parameters ---------------------------------------------------------------------------------------------


class _Lookup:
    """The distinct rule sets of a document's stays (by region and parameter period) as small tables."""

    def __init__(self, frame: pl.DataFrame, cache: RulesCache) -> None:
        dates = pl.Series("d", cache.dates, dtype=pl.Date)
        periods = frame.select("region", "discharged").with_columns(
            dates.search_sorted(frame.get_column("discharged"), side="right").alias("period")
        )
        keys = periods.group_by("region", "period").agg(pl.col("discharged").min()).sort("region", "period")
        self.rules: list[Rules] = []
        self.missing = False
        index: dict[int, int] = {}
        rule_of_key = []
        for region, _period, at in keys.iter_rows():
            found = cache.get(region, at)
            if isinstance(found, MissingParameter):
                self.missing = True
                return
            rule_of_key.append(index.setdefault(id(found), len(index)))
            if rule_of_key[-1] == len(self.rules):
                self.rules.append(found)
        self.rule_index = (
            periods.join(
                keys.select("region", "period").with_columns(rule=pl.Series(rule_of_key, dtype=pl.Int32)),
                on=["region", "period"],
                how="left",
                maintain_order="left",
            )
            .get_column("rule")
            .alias("rule")
        )

    def per_rule(self) -> pl.DataFrame:
        rows: dict[str, list[Any]] = {"rule": [], "first": [], "as_cap": [], "cap0": [], "cap1": [], "cap2": []}
        rows |= {f"{line}_{part}": [] for line in _RATES for part in ("num", "den", "pct")}
        rows["serious_t"] = []
        for i, rules in enumerate(self.rules):
            rows["rule"].append(i)
            rows["first"].append(rules.cap136_first)
            rows["as_cap"].append(rules.fen["medical.assistance.yearly_cap"][0])
            for rank, level in enumerate(("county", "city", "province")):
                rows[f"cap{rank}"].append(rules.fen[f"medical.cap136.{level}"][0])
            rows["serious_t"].append(rules.fen["medical.serious.threshold"][0])
            for line in _RATES:
                rate = rules.rates[f"medical.{line}.rate"]
                rows[f"{line}_num"].append(rate.num)
                rows[f"{line}_den"].append(rate.den)
                rows[f"{line}_pct"].append(rate.pct)
        return pl.DataFrame(rows).with_columns(pl.col("rule").cast(pl.Int32))

    def per_basic(self) -> pl.DataFrame:
        rows: dict[str, list[Any]] = {k: [] for k in ("rule", "registered_poor", "level", "ded", "num", "den", "pct")}
        for i, rules in enumerate(self.rules):
            for poor in (True, False):
                group = "poor" if poor else "other"
                for level, rank in _LEVEL_INDEX.items():
                    rate = rules.rates[f"medical.basic_rate_{group}.{level}"]
                    rows["rule"].append(i)
                    rows["registered_poor"].append(poor)
                    rows["level"].append(rank)
                    rows["ded"].append(rules.fen[f"medical.basic_deductible_{group}.{level}"][0])
                    rows["num"].append(rate.num)
                    rows["den"].append(rate.den)
                    rows["pct"].append(rate.pct)
        return pl.DataFrame(rows).with_columns(pl.col("rule").cast(pl.Int32), pl.col("level").cast(pl.Int8))

    def used(self, combos: pl.DataFrame) -> list[Resolved]:
        """Every parameter value read for the stays' distinct (rule, poor, 低保/特困, level, cap level)."""
        out: list[Resolved] = []
        for rule, poor, dibao, level, cap_level in combos.iter_rows():
            resolved = self.rules[rule].resolved
            group = "poor" if poor else "other"
            names = [ORDER_PARAMETER]
            names += [f"medical.basic_deductible_{group}.{_LEVEL_NAMES[level]}"]
            names += [f"medical.basic_rate_{group}.{_LEVEL_NAMES[level]}"]
            if poor:
                names += ["medical.serious.threshold", "medical.serious.rate", "medical.supplementary.rate"]
            if dibao:
                names += ["medical.assistance.rate", "medical.assistance.yearly_cap"]
            if cap_level >= 0:
                names.append(f"medical.cap136.{_LEVEL_NAMES[cap_level]}")
            out += [resolved[name] for name in names]
        return out


# Settlement ---------------------------------------------------------------------------------------------


def _of(amount: pl.Expr, num: str, den: str) -> pl.Expr:
    """``amount × num/den`` rounded half-up to the fen (amount ≥ 0)."""
    return (2 * amount * pl.col(num) + pl.col(den)) // (2 * pl.col(den))


def settle_frame(frame: pl.DataFrame, cap_period: str, cache: RulesCache) -> tuple[pl.DataFrame, list[Resolved]] | None:
    """Every stay's payments (in input order) and the parameter values read; None when a stay has no value."""
    lookup = _Lookup(frame, cache)
    if lookup.missing:
        return None
    c = pl.col("in_catalogue")
    poor = pl.col("registered_poor")
    work = (
        frame.with_row_index("row")
        .with_columns(lookup.rule_index)
        .join(lookup.per_rule(), on="rule", how="left")
        .join(lookup.per_basic(), on=["rule", "registered_poor", "level"], how="left")
        .sort("person", pl.col("discharged").dt.year(), "discharged", "id")
        .with_columns(
            group=(
                (pl.col("person") != pl.col("person").shift(1))
                | (pl.col("discharged").dt.year() != pl.col("discharged").dt.year().shift(1))
            )
            .fill_null(True)
            .cum_sum(),
            basic=pl.when(c > pl.col("ded")).then(_of(c - pl.col("ded"), "num", "den")).otherwise(0),
        )
        .with_columns(r1=c - pl.col("basic"))
        .with_columns(_start=pl.col("group") != pl.col("group").shift(1, fill_value=-1))
        .with_columns(a=_seg_sum(pl.when(poor).then(pl.col("r1")).otherwise(0)) - pl.col("r1"))
        .with_columns(
            over=(pl.max_horizontal(0, pl.col("a") + pl.col("r1") - pl.col("serious_t")))
            - pl.max_horizontal(0, pl.col("a") - pl.col("serious_t"))
        )
        .with_columns(serious=pl.when(poor).then(_of(pl.col("over"), "serious_num", "serious_den")).otherwise(0))
        .with_columns(r2=pl.col("r1") - pl.col("serious"))
        .with_columns(
            supplementary=pl.when(poor).then(_of(pl.col("r2"), "supplementary_num", "supplementary_den")).otherwise(0)
        )
        .with_columns(r3=pl.col("r2") - pl.col("supplementary"))
    )
    work = work.with_columns(_carried(work, cap_period))
    combos = (
        work.select(
            "rule",
            "registered_poor",
            "dibao_or_tekun",
            "level",
            pl.when(pl.col("cap_applies")).then(pl.col("cap_rank")).otherwise(-1).alias("cap_level"),
        )
        .unique()
        .sort(pl.all())
    )
    return work.sort("row"), lookup.used(combos)


def _carried(work: pl.DataFrame, cap_period: str) -> pl.DataFrame:
    """Lines 4 and 5 for every stay of ``work``: closed forms, and :func:`_carry`'s loop where they do not hold."""
    columns, loop = _carry_columns(work, cap_period)
    if not loop.any():
        return columns
    if loop.all():
        return pl.DataFrame(_carry(work, cap_period))
    position = pl.int_range(pl.len(), dtype=pl.UInt32).alias("_pos")
    looped = pl.DataFrame(_carry(work.filter(loop), cap_period)).with_columns(
        pl.Series("_pos", loop.arg_true(), dtype=pl.UInt32)
    )
    kept = columns.with_columns(position).filter(~loop)
    return pl.concat([kept, looped.select(kept.columns)]).sort("_pos").drop("_pos")


# Person-year windows over stays sorted by person-year (``_start`` marks each one's first stay): global
# cumulative operations with each person-year's offset taken away or its number folded into the key —
# Polars' ``over()`` hashes the groups again for every expression, ten times slower here.
_START, _END = pl.col("_start"), pl.col("_end")
_GROUP = pl.col("group").cast(pl.Int64)


def _seg_sum(x: pl.Expr) -> pl.Expr:
    """Running sum within the person-year."""
    total = x.cum_sum()
    return total - pl.when(_START).then(total - x).otherwise(None).forward_fill()


def _seg_previous(x: pl.Expr) -> pl.Expr:
    """The value on the person-year's previous stay (0 on its first)."""
    return pl.when(_START).then(0).otherwise(x.shift(1))


def _seg_max(x: pl.Expr, width: int) -> pl.Expr:
    """Running maximum within the person-year of 0 ≤ x < 2**width."""
    return (_GROUP * (1 << width) + x).cum_max() - _GROUP * (1 << width)


def _seg_min(x: pl.Expr) -> pl.Expr:
    """Running minimum within the person-year of −2**40 ≤ x < 2**41."""
    return (x - _GROUP * (1 << 42)).cum_min() + _GROUP * (1 << 42)


def _seg_any(flag: pl.Expr) -> pl.Expr:
    """Whether ``flag`` holds on any stay of the person-year, on each of its stays."""
    so_far = _seg_max(flag.cast(pl.Int64), 1) > 0
    return pl.when(_END).then(so_far).otherwise(None).backward_fill()


def _carry_columns(work: pl.DataFrame, cap_period: str) -> tuple[pl.DataFrame, pl.Series]:
    """Lines 4 and 5 as closed forms per person-year, and which stays need :func:`_carry`'s loop instead.

    医疗救助 with one yearly cap C: paid so far P = min(cumulative 0.70 × share, C). "136" by the year: with S
    the cumulative amount reaching the line and cap_j the cap at stay j, the carried B_k = min(B_{k−1} + r_k,
    cap_k) unrolls to S_k + min(0, min_j (cap_j − S_j)) — exact when the caps never fall within the year
    (they follow the highest level so far). The loop takes a person-year whose stays change the regional
    order or the yearly 医疗救助 cap, whose "136" cap falls (parameters changing between regions or dates),
    and in 兴县's order one with 医疗救助 on a "136" stay (B then counts what 医疗救助 left, a second carry);
    and every stay when the amounts are too large for the folded keys (≥ 2**40 fen in catalogue in all).
    """
    poor, dibao, level = pl.col("registered_poor"), pl.col("dibao_or_tekun"), pl.col("level")
    applied = poor & (level < 3)
    by_year = cap_period == "year"
    caps = work.select(pl.max_horizontal("cap0", "cap1", "cap2").max()).item()
    if work.height == 0 or work.get_column("in_catalogue").sum() >= 1 << 40 or caps >= 1 << 31:
        return work.select(), pl.Series("_loop", [True] * work.height)
    if work.get_column("group").max() >= 1 << 20:  # type: ignore[operator]
        return work.select(), pl.Series("_loop", [True] * work.height)
    changes = (pl.col("first") != pl.col("first").shift(1)) | (pl.col("as_cap") != pl.col("as_cap").shift(1))
    loop = _seg_any((~_START & changes) | (pl.col("first") & dibao & applied))
    indexed = work.with_row_index("_pos").with_columns(
        _start=pl.col("group") != pl.col("group").shift(1, fill_value=-1),
        _end=pl.col("group") != pl.col("group").shift(-1, fill_value=-1),
    )
    indexed = indexed.with_columns(_loop=loop)
    parts = []
    for first in (False, True):
        part = indexed.filter(pl.col("first") == first).select(
            "_pos", "_loop", "group", "registered_poor", "dibao_or_tekun", "level", "r3", "assistance_num",
            "assistance_den", "as_cap", "cap0", "cap1", "cap2",
        )  # fmt: skip
        part = part.with_columns(
            _start=pl.col("group") != pl.col("group").shift(1, fill_value=-1),
            _end=pl.col("group") != pl.col("group").shift(-1, fill_value=-1),
            _in=pl.col("r3"),
        )
        for step in ("cap", "as") if first else ("as", "cap"):
            if step == "as":
                share = pl.when(dibao).then(_of(pl.col("_in"), "assistance_num", "assistance_den")).otherwise(0)
                part = (
                    part.with_columns(as_left=pl.col("_in"), as_share=share)
                    .with_columns(_p=pl.min_horizontal(_seg_sum(pl.col("as_share")), pl.col("as_cap")))
                    .with_columns(as_before=_seg_previous(pl.col("_p")))
                    .with_columns(assistance=pl.col("_p") - pl.col("as_before"))
                    .with_columns(_in=pl.col("_in") - pl.col("assistance"))
                )
                continue
            rank = _seg_max(pl.when(applied).then(level + 1).otherwise(0).cast(pl.Int64), 2) - 1 if by_year else level
            part = part.with_columns(cap_left=pl.col("_in"), cap_rank=rank.cast(pl.Int64).clip(0, 2)).with_columns(
                cap_value=pl.when(pl.col("cap_rank") <= 0)
                .then(pl.col("cap0"))
                .when(pl.col("cap_rank") == 1)
                .then(pl.col("cap1"))
                .otherwise(pl.col("cap2"))
            )
            if by_year:
                part = (
                    part.with_columns(_s=_seg_sum(pl.when(applied).then(pl.col("_in")).otherwise(0)))
                    .with_columns(
                        _m=_seg_min(pl.when(applied).then(pl.col("cap_value") - pl.col("_s")).otherwise(1 << 41)),
                        _top=_seg_max(pl.when(applied).then(pl.col("cap_value")).otherwise(0), 31),
                    )
                    .with_columns(_b=pl.col("_s") + pl.min_horizontal(0, pl.col("_m")))
                    .with_columns(cap_b=_seg_previous(pl.col("_b")))
                    .with_columns(
                        cap136=pl.when(applied).then(pl.col("_in") - (pl.col("_b") - pl.col("cap_b"))).otherwise(0)
                    )
                    .with_columns(_loop=pl.col("_loop") | _seg_any(applied & (pl.col("cap_value") < pl.col("_top"))))
                )
            else:
                part = part.with_columns(
                    cap_b=pl.lit(0, dtype=pl.Int64),
                    cap136=pl.when(applied)
                    .then(pl.max_horizontal(0, pl.col("_in") - pl.col("cap_value")))
                    .otherwise(0),
                )
            part = part.with_columns(_in=pl.col("_in") - pl.col("cap136"))
        parts.append(part)
    both = pl.concat(parts, how="diagonal").sort("_pos")
    # a person-year split between the two orders was computed in pieces: it is in the loop already
    loop_flags = both.get_column("_loop")
    out = both.select(
        *("as_left", "as_share", "as_before", "assistance", "cap_left", "cap_b", "cap_rank", "cap_value"),
        "cap136",
        pl.col("_in").alias("left"),
        applied.alias("cap_applies"),
    )
    return out.cast({name: pl.Int64 for name in out.columns if name != "cap_applies"}), loop_flags


def _carry(work: pl.DataFrame, cap_period: str) -> dict[str, pl.Series]:
    """Lines 4 and 5 in settlement order: what each person-year carries from stay to stay.

    Plain ints and lists in one loop (a person's stays are consecutive in ``work``); each stay records the
    amounts its two sentences show. ``first`` is 兴县's order ("136" before 医疗救助).
    """
    by_year = cap_period == "year"
    n = work.height
    as_left, cap_left, final = [0] * n, [0] * n, [0] * n
    as_share, as_before, as_paid = [0] * n, [0] * n, [0] * n
    cap_b, cap_rank, cap_value, cap_paid = [0] * n, [0] * n, [0] * n, [0] * n
    current = -1
    paid_year = carried = top = 0
    columns = [
        work.get_column(name).to_list()
        for name in (
            *("group", "registered_poor", "dibao_or_tekun", "level", "r3", "first", "assistance_num"),
            *("assistance_den", "as_cap", "cap0", "cap1", "cap2"),
        )
    ]
    rows = enumerate(zip(*columns, strict=True))
    for i, (group, poor, dibao, level, left, first, num, den, as_cap, cap0, cap1, cap2) in rows:
        if group != current:
            current, paid_year, carried, top = group, 0, 0, -1
        applied = poor and level < 3
        if first and applied:  # 兴县: "136" first, on what 补充医保 left
            cap_left[i] = left
            rank = max(top, level) if by_year else level
            cap = cap0 if rank == 0 else cap1 if rank == 1 else cap2
            b = carried if by_year else 0
            paid = min(left, max(0, b + left - cap)) if by_year else max(0, left - cap)
            cap_b[i], cap_rank[i], cap_value[i], cap_paid[i] = b, rank, cap, paid
            left -= paid
        else:
            cap_left[i] = left
        as_left[i] = left
        if dibao:
            share = (2 * left * num + den) // (2 * den)
            paid = min(share, max(0, as_cap - paid_year))
            as_share[i], as_before[i], as_paid[i] = share, paid_year, paid
            paid_year += paid
            left -= paid
        if applied and not first:
            cap_left[i] = left
            rank = max(top, level) if by_year else level
            cap = cap0 if rank == 0 else cap1 if rank == 1 else cap2
            b = carried if by_year else 0
            paid = min(left, max(0, b + left - cap)) if by_year else max(0, left - cap)
            cap_b[i], cap_rank[i], cap_value[i], cap_paid[i] = b, rank, cap, paid
            left -= paid
        if applied and by_year:
            carried += left
            top = max(top, level)
        final[i] = left
    out = {
        "as_left": as_left,
        "as_share": as_share,
        "as_before": as_before,
        "assistance": as_paid,
        "cap_left": cap_left,
        "cap_b": cap_b,
        "cap_rank": cap_rank,
        "cap_value": cap_value,
        "cap136": cap_paid,
        "left": final,
    }
    series = {name: pl.Series(name, values, dtype=pl.Int64) for name, values in out.items()}
    series["cap_applies"] = work.select((pl.col("registered_poor") & (pl.col("level") < 3)).alias("cap_applies"))[
        "cap_applies"
    ]
    return series


# Output -------------------------------------------------------------------------------------------------


_YUAN = (
    "in_catalogue", "ded", "basic", "a", "r1", "serious_t", "over", "serious", "r2", "supplementary", "as_left",
    "as_share", "as_cap", "as_before", "assistance", "cap_left", "cap_value", "cap136", "cap_b", "left", "outside",
    "oop", "total",
)  # fmt: skip


def _yuan(name: str) -> pl.Expr:
    """Fen as yuan with two decimals, as :func:`jingzhun.policy.money.fen_to_str` (amounts ≥ 0)."""
    hundredth = pl.lit("0.01").cast(pl.Decimal(4, 2))  # from text: a Decimal literal would import numpy
    return (pl.col(name).cast(pl.Decimal(22, 2)) * hundredth).cast(pl.Decimal(22, 2)).cast(pl.String)


def _y(name: str) -> pl.Expr:
    """The yuan text of an amount, computed once per column (:data:`_YUAN`)."""
    return pl.col(f"y_{name}")


def _t(*parts: str | pl.Expr) -> pl.Expr:
    """A sentence: plain strings are fixed text, expressions are the stay's figures."""
    return pl.concat_str([pl.lit(p) if isinstance(p, str) else p for p in parts])


def _sentences(cap_period: str) -> list[pl.Expr]:
    poor, dibao = pl.col("registered_poor"), pl.col("dibao_or_tekun")
    level_name = pl.col("cap_rank").replace_strict(dict(enumerate(LEVELS.values())), return_dtype=pl.String)
    basic = (
        pl.when(pl.col("in_catalogue") > pl.col("ded"))
        .then(
            _t("基本医保 = (", _y("in_catalogue"), " − ", _y("ded"), ") × ", pl.col("pct"), " = ", _y("basic"), " 元")
        )
        .otherwise(_t("基本医保：目录内费用 ", _y("in_catalogue"), " 元未超过起付线 ", _y("ded"), " 元，0.00 元"))
    )
    pct = pl.col("serious_pct")
    serious = (
        pl.when(~poor)
        .then(pl.lit("大病保险：非建档立卡贫困人口，不适用，0.00 元"))
        .when(pl.col("a") != 0)
        .then(
            _t(
                "大病保险 = (max(0, ", _y("a"), " + ", _y("r1"), " − ", _y("serious_t"), ") − max(0, ", _y("a"),
                " − ", _y("serious_t"), ")) × ", pct, " = ", _y("over"), " × ", pct, " = ", _y("serious"), " 元（",
                _y("a"), " 为本年此前住院基本医保后的目录内剩余之和）",
            )
        )
        .otherwise(
            _t(
                "大病保险 = max(0, ", _y("r1"), " − ", _y("serious_t"), ") × ", pct, " = ", _y("serious"),
                " 元（本年首次累计）",
            )
        )
    )  # fmt: skip
    supplementary = (
        pl.when(poor)
        .then(_t("补充医保 = ", _y("r2"), " × ", pl.col("supplementary_pct"), " = ", _y("supplementary"), " 元"))
        .otherwise(pl.lit("补充医保：非建档立卡贫困人口，不适用，0.00 元"))
    )
    assistance = (
        pl.when(dibao)
        .then(
            _t(
                "医疗救助 = min(", _y("as_left"), " × ", pl.col("assistance_pct"), " = ", _y("as_share"), ", ",
                _y("as_cap"), " − ", _y("as_before"), ") = ", _y("assistance"), " 元（本年封顶 ", _y("as_cap"),
                " 元，此前已救助 ", _y("as_before"), " 元）",
            )
        )
        .otherwise(pl.lit("医疗救助：非低保、特困对象，不适用，0.00 元"))
    )  # fmt: skip
    if cap_period == "stay":
        applied = _t(
            "“136”兜底 = max(0, ", _y("cap_left"), " − ", _y("cap_value"), ") = ", _y("cap136"), " 元（", level_name,
            "医院按次封顶 ", _y("cap_value"), " 元）",
        )  # fmt: skip
    else:
        applied = _t(
            "“136”兜底 = min(", _y("cap_left"), ", max(0, ", _y("cap_b"), " + ", _y("cap_left"), " − ",
            _y("cap_value"), ")) = ", _y("cap136"), " 元（本年最高", level_name, "医院，年度自付封顶 ", _y("cap_value"),
            " 元；", _y("cap_b"), " 为本年此前省内住院的目录内自付）",
        )  # fmt: skip
    cap136 = (
        pl.when(~poor)
        .then(pl.lit("“136”兜底：非建档立卡贫困人口，不适用，0.00 元"))
        .when(pl.col("level") == 3)
        .then(pl.lit("“136”兜底：省外住院，不适用，0.00 元"))
        .otherwise(applied)
    )
    oop = _t(
        "个人自付 = 目录内剩余 ", _y("left"), " + 目录外 ", _y("outside"), " = ", _y("oop"), " 元；实际报销比例 = 1 − ",
        _y("oop"), " ÷ ", _y("total"), " = ", pl.col("ratio"),
    )  # fmt: skip
    return [
        basic.alias("t_basic"),
        serious.alias("t_serious"),
        supplementary.alias("t_supplementary"),
        assistance.alias("t_assistance"),
        cap136.alias("t_cap136"),
        oop.alias("t_oop"),
    ]


def stay_texts(settled: pl.DataFrame, cap_period: str) -> pl.Series:
    """Each stay as the one-line JSON object :func:`jingzhun.policy.medical.render.write_json` writes."""
    units = (2 * (pl.col("total") - pl.col("oop")) * 10000 + pl.col("total")) // (2 * pl.col("total"))
    ratio = _t((units // 10000).cast(pl.String), ".", (units % 10000 + 10000).cast(pl.String).str.slice(1))
    quoted = pl.col("id")
    if settled.get_column("id").str.contains(_UNSAFE_ID).any():
        quoted = pl.col("id").map_elements(lambda s: json.dumps(s, ensure_ascii=False), return_dtype=pl.String)
    else:
        quoted = _t('"', quoted, '"')
    orders = {False: json.dumps(list(ORDER)), True: json.dumps(list(ORDER_CAP136_FIRST))}
    frame = (
        settled.lazy()
        .with_columns(outside=pl.col("total") - pl.col("in_catalogue"))
        .with_columns(oop=pl.col("left") + pl.col("outside"))
        .with_columns([_yuan(name).alias(f"y_{name}") for name in _YUAN])
        .with_columns(
            ratio=ratio,
            quoted=quoted,
            order=pl.when(pl.col("first")).then(pl.lit(orders[True])).otherwise(pl.lit(orders[False])),
        )
        .with_columns(_sentences(cap_period))
    )
    text = _t(
        '{"id": ', pl.col("quoted"), ', "lines": {"basic": "', _y("basic"), '", "serious": "', _y("serious"),
        '", "supplementary": "', _y("supplementary"), '", "assistance": "', _y("assistance"), '", "cap136": "',
        _y("cap136"), '"}, "oop": "', _y("oop"), '", "ratio": "', pl.col("ratio"), '", "explain": {"order": ',
        pl.col("order"), ', "lines": {"basic": "', pl.col("t_basic"), '", "serious": "', pl.col("t_serious"),
        '", "supplementary": "', pl.col("t_supplementary"), '", "assistance": "', pl.col("t_assistance"),
        '", "cap136": "', pl.col("t_cap136"), '"}, "oop": "', pl.col("t_oop"), '"}}',
    )  # fmt: skip
    return frame.select(text.alias("json")).collect().get_column("json")


def write_json(settled: pl.DataFrame, used: Iterable[Resolved], cap_period: str, out: IO[str]) -> None:
    """The whole document, as the reference writes it (stays in input order, then the parameters).

    The stays (88 MiB at 100 000) go from Polars to the output's bytes as they are — one per line, each but
    the last followed by the reference's ``,`` — without a Python string of the whole.
    """
    from jingzhun.policy.medical.render import parameters_json

    texts = stay_texts(settled, cap_period).to_frame()
    buffer = getattr(out, "buffer", None)
    target = buffer if buffer is not None else io.BytesIO()
    out.write('{"stays": [\n  ')
    out.flush()
    options: dict[str, Any] = {"include_header": False, "quote_style": "never"}
    texts.head(-1).write_csv(target, line_terminator=",\n  ", **options)
    texts.tail(1).write_csv(target, line_terminator="", **options)
    if buffer is None:
        out.write(target.getvalue().decode("utf-8"))
    else:
        buffer.flush()
    out.write(f'\n], "parameters": {parameters_json(used)}}}\n')
