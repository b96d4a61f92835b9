"""The vocabulary every program module writes its rule in: named Polars expressions over a frame.

A program's rule (``programs/<name>.py``) is a :class:`Rule`: its intermediate steps, in order, as
named expressions; ``pays`` (who gets a line) and ``amount`` — the exact amount in fen as a numerator
and a denominator, rounded once, half-up, by the evaluator. Parameters are read through
:class:`Params`: ``p["std_fen"]`` is the parameter's value for each row (a literal when every region
agrees, else gathered from the small (region, area) table by the row's ``lk``). Money is integer fen and
rates integer ten-thousandths, so every formula stays exact in int64.

The same expressions run over a whole county (``engine_batch``: only ``pays`` and ``amount`` are
computed) and over one document's households (``engine``: the step columns are kept and become the
line's explanation, with each parameter's value, date and region from the lookup row). The evaluator
is ``evaluate.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import polars as pl

from jingzhun.policy.money import fen_to_str, fraction_to_str, round_fen

if TYPE_CHECKING:
    from jingzhun.policy.batch_params import Lookup

RATE_SCALE = 10_000


def col(name: str) -> pl.Expr:
    return pl.col(name)


def frac(num: pl.Expr, den: pl.Expr | int) -> pl.Expr:
    """An exact rational step (shown as a decimal, "…" when it does not terminate)."""
    return pl.struct(num=num.cast(pl.Int64), den=den if isinstance(den, pl.Expr) else pl.lit(den, pl.Int64))


def yuan(fen: pl.Expr, per: pl.Expr | int = 1) -> pl.Expr:
    """``fen / per`` fen, as an exact amount in yuan."""
    return frac(fen, per * 100)


def names_where(conditions: Mapping[str, pl.Expr]) -> pl.Expr:
    """The names whose condition holds, in order (a list step such as ``tekun_conditions``)."""
    return pl.concat_list([pl.when(c).then(pl.lit(name)) for name, c in conditions.items()]).list.drop_nulls()


def grade_in(*grades: int) -> pl.Expr:
    return pl.col("disability_grade").is_in(list(grades)).fill_null(False)


@dataclass(frozen=True)
class Rule:
    """One program over a frame: ``steps`` (explanation order), who ``pays``, and the exact amount
    ``amount_num / amount_den`` in fen; ``persons`` the people a household line covers."""

    steps: dict[str, pl.Expr]
    pays: pl.Expr
    amount_num: pl.Expr
    amount_den: pl.Expr | int = 1
    persons: pl.Expr | int = 1


class Params:
    """Parameter values as expressions, per row, from the (region, area) lookup table."""

    def __init__(self, lookup: Lookup, first: dt.date) -> None:
        self.lookup = lookup
        self.first = first

    def __getitem__(self, name: str) -> pl.Expr:
        uniform = self.lookup.uniform(name)
        if uniform is not None:
            return pl.lit(int(uniform), pl.Int64)
        return pl.lit(pl.Series(self.lookup.column(name))).gather(pl.col("lk"))

    def at_least(self, age: str) -> pl.Expr:
        """Age ≥ the parameter ``age`` on the first of the month ⇔ born on or before (year − A, month, 1):
        one comparison of the birth date with a cut-off per (region, area) row, no date arithmetic per
        person (the lookup's ``cut_<age>`` columns; same completed-years rule as :meth:`age`)."""
        return pl.col("birth_date").to_physical() <= self[f"cut_{age}"]

    def at_most(self, age: str) -> pl.Expr:
        """Age ≤ the parameter ``age`` (i.e. not yet ``age`` + 1)."""
        return pl.col("birth_date").to_physical() > self[f"cut_{age}_plus_one"]

    def age(self) -> pl.Expr:
        """Completed years on the first of the month (POLICY.md §0; ``context.age_on``)."""
        born = pl.col("birth_date")
        month = born.dt.month()
        before = (month > self.first.month) | ((month == self.first.month) & (born.dt.day() > 1))
        return pl.lit(self.first.year, pl.Int32) - born.dt.year() - before.cast(pl.Int32)


def half_up(num: pl.Expr, den: pl.Expr | int) -> pl.Expr:
    return (2 * num + den) // (2 * den)


# --- words for the sentence a cadre reads aloud -------------------------------------------------------


def to_fraction(value: Any) -> Any:
    """A ``frac`` step's row value ``{"num", "den"}`` as a Fraction; anything else as it is."""
    if type(value) is dict and value.keys() == {"num", "den"}:
        num, den = value["num"], value["den"]
        if num is None or den is None or den == 0:
            return None
        return Fraction(num, den)
    return value


def yuan_text(value: object) -> str:
    """A yuan amount as a cadre reads it: two decimals, half-up."""
    if type(value) is Fraction:
        return fen_to_str(round_fen(value))
    if isinstance(value, Fraction | int) and not isinstance(value, bool):
        return fen_to_str(round_fen(Fraction(value)))
    return str(value)


def percent_text(value: object) -> str:
    if type(value) is Fraction:  # the common case first: no ABC check, no copy
        return fraction_to_str(value)
    if isinstance(value, Fraction | int) and not isinstance(value, bool):
        return fraction_to_str(Fraction(value))
    return str(value)
