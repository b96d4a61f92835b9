"""Parameters for the batch engine: resolved once per (region, area) into a small lookup table.

Every money value becomes integer fen and every rate an integer number of ten-thousandths (the
parameter loader allows at most 2 and 4 decimals), so the vectorised formulas stay exact in int64.
Missing parameters become error messages with the same text and order as the reference path.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from jingzhun.policy import regions
from jingzhun.policy.engine import (
    CITYWIDE,
    FILIAL,
    INSURANCE_SWITCH,
    POVERTY_LINE,
    PRICE,
    TEMPORARY,
    base_parameters,
    tekun_parameters,
)
from jingzhun.policy.params import ParameterTree, Resolved

if TYPE_CHECKING:
    import polars as pl

AREAS = ("rural", "urban")
EPOCH = dt.date(1970, 1, 1)
# Age bounds as birth-date cut-offs: age ≥ A on the first of the month ⇔ born on or before
# (year − A, month, 1) — the same completed-years rule as context.age_on, 29 February included.
AGE_BOUNDS = {
    "tk_elderly_age": 0,
    "tk_minor_age": 0,
    "cl_elderly_age": 0,
    "cl_minor_age": 0,
    "elderly_min": 0,
    "elderly_max": 1,
    "disabled_elder_min": 0,
    "disabled_elder_max": 1,
}

__all__ = ["CITYWIDE", "FILIAL", "TEMPORARY", "Lookup", "lookup_rows", "price_rate"]

RATE_SCALE = 10_000


def _fen(value: object) -> int:
    assert isinstance(value, Fraction | int) and not isinstance(value, bool)
    fen = Fraction(value) * 100
    assert fen.denominator == 1, f"money parameter with fractions of a fen: {value}"
    return int(fen)


def _scaled(value: object) -> int:
    assert isinstance(value, Fraction | int) and not isinstance(value, bool)
    scaled = Fraction(value) * RATE_SCALE
    assert scaled.denominator == 1, f"rate with more than 4 decimals: {value}"
    return int(scaled)


def _int(value: object) -> int:
    assert isinstance(value, int) and not isinstance(value, bool)
    return value


def _resolve(
    tree: ParameterTree, region: str, at: dt.date, names: tuple[str, ...], errors: list[str]
) -> dict[str, Resolved]:
    found: dict[str, Resolved] = {}
    for name in names:
        resolved = tree.resolve_or_none(name, region, at)
        if resolved is None:
            errors.append(f"无参数: {name}, {region}, {at.isoformat()}")
        else:
            found[name] = resolved
    return found


def price_rate(
    tree: ParameterTree, region: str, at: dt.date, cpi: Any
) -> tuple[Fraction | None, int, list[str], dict[str, Resolved]]:
    """The price-subsidy rate in percent for a region (None: not triggered), the trigger (1 all items,
    2 food, 0 none), missing-parameter errors and the thresholds read."""
    errors: list[str] = []
    if cpi is None:
        return None, 0, errors, {}
    found = _resolve(tree, region, at, PRICE, errors)
    if errors:
        return None, 0, errors, found
    all_items, food = Fraction(cpi.all_items), Fraction(cpi.food)
    if all_items >= Fraction(found[PRICE[0]].value):  # type: ignore[arg-type]
        return all_items, 1, errors, found
    if food >= Fraction(found[PRICE[1]].value):  # type: ignore[arg-type]
        return food, 2, errors, found
    return None, 0, errors, found


def lookup_rows(tree: ParameterTree, pairs: list[tuple[str, str]], at: dt.date, cpi: Any) -> list[dict[str, Any]]:
    """One row per (region, area): integer parameters, or None with the errors that explain why."""
    rows = []
    for region, area in pairs:
        base_errors: list[str] = []
        base = _resolve(tree, region, at, base_parameters(area), base_errors)
        row: dict[str, Any] = {"region": region, "area": area, "base_errors": base_errors}
        tekun_errors: list[str] = []
        tekun = _resolve(tree, region, at, tekun_parameters(area), tekun_errors)
        extra_errors: list[str] = []
        # per program: only 价格临时补贴 is lost
        rate, trigger, price_errors, price_found = price_rate(tree, region, at, cpi)
        insurance_on = False
        line_fen = None
        resolved = {**base, **tekun, **price_found}
        if at.month == 12:
            switch = _resolve(tree, region, at, (INSURANCE_SWITCH,), extra_errors)
            resolved.update(switch)
            insurance_on = bool(switch and switch[INSURANCE_SWITCH].value is True)
            if insurance_on:
                line = _resolve(tree, region, at, (POVERTY_LINE,), extra_errors)
                resolved.update(line)
                line_fen = _fen(line[POVERTY_LINE].value) if line else None
        row["resolved"] = resolved  # what the explanations name: value, date and level of each
        row.update(tekun_errors=tekun_errors, extra_errors=extra_errors, price_errors=price_errors)
        row.update(
            price_num=rate.numerator if rate is not None else 0,
            price_den=rate.denominator if rate is not None else 1,
            price_trigger=trigger,
            insurance_on=insurance_on and line_fen is not None,
            poverty_line_fen=line_fen or 0,
        )
        row.update(_base_columns(base, area) if not base_errors else _empty_base())
        row.update(_tekun_columns(tekun, area) if not tekun_errors else _empty_tekun())
        rows.append(row)
    return rows


BASE_INT_COLUMNS = (
    "std_fen",
    "tk_elderly_age",
    "tk_minor_age",
    "rate_severe",
    "rate_disability",
    "rate_elderly",
    "rate_minor",
    "cl_elderly_age",
    "cl_minor_age",
    "elderly_fen",
    "elderly_min",
    "elderly_max",
    "disabled_elder_fen",
    "disabled_elder_min",
    "disabled_elder_max",
    "living_fen",
    "care_fen",
    "major_fen",
)
TEKUN_INT_COLUMNS = (
    "basic_home_fen",
    "basic_institution_fen",
    *(f"fee_{s}_{c}_fen" for s in ("home", "institution") for c in ("full", "partial", "none")),
)


def _base_columns(found: Mapping[str, Resolved], area: str) -> dict[str, Any]:
    v = {name: r.value for name, r in found.items()}
    return {
        "std_fen": _fen(v[f"dibao.standard.{area}"]),
        "tk_elderly_age": _int(v["tekun.eligibility.elderly_age"]),
        "tk_minor_age": _int(v["tekun.eligibility.minor_age"]),
        "rate_severe": _scaled(v["dibao.classified.rate_severe"]),
        "rate_disability": _scaled(v["dibao.classified.rate_disability"]),
        "rate_elderly": _scaled(v["dibao.classified.rate_elderly"]),
        "rate_minor": _scaled(v["dibao.classified.rate_minor"]),
        "cl_elderly_age": _int(v["dibao.classified.elderly_age"]),
        "cl_minor_age": _int(v["dibao.classified.minor_age"]),
        "cl_registered_poor_only": v["dibao.classified.registered_poor_only"] is True,
        "elderly_fen": _fen(v["allowances.elderly.amount"]),
        "elderly_min": _int(v["allowances.elderly.min_age"]),
        "elderly_max": _int(v["allowances.elderly.max_age"]),
        "disabled_elder_fen": _fen(v["allowances.disabled_elder.amount"]),
        "disabled_elder_min": _int(v["allowances.disabled_elder.min_age"]),
        "disabled_elder_max": _int(v["allowances.disabled_elder.max_age"]),
        "living_fen": _fen(v["allowances.disability_living.amount"]),
        "care_fen": _fen(v["allowances.disability_care.amount"]),
        "major_fen": _fen(v["major_illness_care.amount"]),
    }


def _empty_base() -> dict[str, Any]:
    return {**dict.fromkeys(BASE_INT_COLUMNS), "cl_registered_poor_only": None}


def _tekun_columns(found: Mapping[str, Resolved], area: str) -> dict[str, Any]:
    basic = found[f"tekun.basic.{area}"]
    fee = found["tekun.care_fee"]
    out = {f"basic_{s}_fen": _fen(basic.leaf(s)) for s in ("home", "institution")}
    for s in ("home", "institution"):
        for c in ("full", "partial", "none"):
            out[f"fee_{s}_{c}_fen"] = _fen(fee.leaf(s, c))
    return out


def _empty_tekun() -> dict[str, Any]:
    return dict.fromkeys(TEKUN_INT_COLUMNS)


def _cutoff(first: dt.date, age: int) -> int:
    return (dt.date(first.year - age, first.month, 1) - EPOCH).days


_BUILT: OrderedDict[tuple[int, dt.date, Any], tuple[ParameterTree, Lookup]] = OrderedDict()
_BUILT_LOCK = threading.Lock()
_BUILT_MAX = 16


class Lookup:
    """The (region, area) table as NumPy columns, indexed by the lookup row ``lk``."""

    def __init__(self, rows: list[dict[str, Any]], first: dt.date) -> None:
        self.rows = rows
        self.regions = [r["region"] for r in rows]
        self.areas = [r["area"] for r in rows]
        self.base_failed = np.array([bool(r["base_errors"]) for r in rows], dtype=bool)
        self.tekun_failed = np.array([bool(r["tekun_errors"]) for r in rows], dtype=bool)
        self.extra_failed = np.array([bool(r["extra_errors"]) for r in rows], dtype=bool)
        self._columns: dict[str, np.ndarray[Any, Any]] = {}
        names = [*BASE_INT_COLUMNS, *TEKUN_INT_COLUMNS, "price_num", "price_den", "price_trigger", "poverty_line_fen"]
        for name in names:
            self._columns[name] = np.array([r[name] or 0 for r in rows], dtype=np.int64)
        for name in ("cl_registered_poor_only", "insurance_on"):
            self._columns[name] = np.array([bool(r[name]) for r in rows], dtype=np.int64)
        for name, extra in AGE_BOUNDS.items():
            cut = [_cutoff(first, r[name] + extra) if r[name] is not None else 0 for r in rows]
            self._columns[f"cut_{name}{'_plus_one' if extra else ''}"] = np.array(cut, dtype=np.int64)
        fees = np.zeros((len(rows), 2, 3), dtype=np.int64)
        for i, r in enumerate(rows):
            for j, setting in enumerate(("home", "institution")):
                for k, care in enumerate(("full", "partial", "none")):
                    fees[i, j, k] = r[f"fee_{setting}_{care}_fen"] or 0
        self.fees = fees
        usable = ~self.base_failed
        self._uniform: dict[str, np.int64] = {}
        self.memo: dict[object, Any] = {}  # the rules' expressions over this table, built once (evaluate.py)
        for name, values in self._columns.items():  # 26 rows: a set, not np.unique (which imports numpy.ma)
            candidates = set((values[usable] if usable.any() else values).tolist())
            if len(candidates) == 1:
                self._uniform[name] = np.int64(candidates.pop())

    @classmethod
    def build(cls, tree: ParameterTree, first: dt.date, cpi: Any) -> Lookup:
        """Every county × area (26 rows): cheaper than finding the pairs present in a million rows.

        Kept for the last few (parameter tree, month, CPI): a staff page computing one household pays
        for resolving 26 rows of parameters (a few ms) once, not on every view. A Lookup is never
        changed after it is built; the tree is held with it, so its ``id`` cannot be reused meanwhile. A
        parameter tree is never edited in place either (a reform builds a new one, ``apply_reform``), which
        is what keying on the tree's identity relies on."""
        key = (id(tree), first, cpi)
        with _BUILT_LOCK:
            found = _BUILT.get(key)
            if found is not None:
                _BUILT.move_to_end(key)
                return found[1]
        pairs = [(region, area) for region in regions.COUNTIES for area in AREAS]
        lookup = cls(lookup_rows(tree, pairs, first, cpi), first)
        with _BUILT_LOCK:
            _BUILT[key] = (tree, lookup)
            while len(_BUILT) > _BUILT_MAX:
                _BUILT.popitem(last=False)
        return lookup

    def index(self, region: pl.Series, area: pl.Series) -> np.ndarray[Any, Any]:
        """The lookup row of each household: region index × 2 + area index (Enum casts, no string join)."""
        import polars as pl

        try:
            r = region.cast(pl.Enum(list(regions.COUNTIES))).to_physical().to_numpy().astype(np.int64)
            a = area.cast(pl.Enum(list(AREAS))).to_physical().to_numpy().astype(np.int64)
        except pl.exceptions.InvalidOperationError:
            bad_regions = region.filter(~region.is_in(list(regions.COUNTIES))).unique().head(10).to_list()
            bad_areas = area.filter(~area.is_in(list(AREAS))).unique().head(10).to_list()
            raise ValueError(
                f"未知区划代码 [region]: {bad_regions}；城乡类别 [area] 须为 rural | urban: {bad_areas}"
            ) from None
        return r * len(AREAS) + a

    def take(self, name: str, index: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        return np.take(self._columns[name], index)

    def column(self, name: str) -> np.ndarray[Any, Any]:
        return self._columns[name]

    def uniform(self, name: str) -> np.int64 | None:
        """The value when every row that can be used has the same one (the usual city-wide case)."""
        return self._uniform.get(name)

    def errors(
        self,
        household_ids: pl.Series,
        errored: np.ndarray[Any, Any],
        has_tekun: np.ndarray[Any, Any],
        lk_h: np.ndarray[Any, Any],
    ) -> pl.DataFrame:
        """One row per missing parameter of each failing household, as the reference path lists them."""
        import polars as pl

        from jingzhun.policy.programs import NAMES_ZH

        keys: list[int] = []
        messages: list[str] = []
        for lk, row in enumerate(self.rows):
            for tekun in (0, 1):
                found = row["base_errors"] or [*(row["tekun_errors"] if tekun else []), *row["extra_errors"]]
                if not found:  # computed: only a program of its own may be missing (价格临时补贴)
                    found = [f"{NAMES_ZH['price_subsidy']}：{m}" for m in row.get("price_errors", [])]
                keys.extend([lk * 2 + tekun] * len(found))
                messages.extend(found)
        table = pl.DataFrame({"key": keys, "message": messages}, schema={"key": pl.Int64, "message": pl.String})
        if table.is_empty():
            return pl.DataFrame(schema={"household_id": pl.String, "message": pl.String})
        failing = pl.DataFrame({"household_id": household_ids, "key": lk_h * 2 + has_tekun.astype(np.int64)})
        return failing.join(table, on="key", how="inner", maintain_order="left_right").select("household_id", "message")
