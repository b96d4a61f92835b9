"""Array types, seeded random streams and per-household reductions shared by the generator's modules."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray

Int = NDArray[np.int64]
Bool = NDArray[np.bool_]
Float = NDArray[np.float64]
Str = NDArray[Any]  # numpy unicode arrays (dtype '<U…')


def stream(seed: int, name: str) -> np.random.Generator:
    """An independent generator per stage, so changing one stage's draws leaves the others' alone."""
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def pick(rng: np.random.Generator, p: Float | list[float] | tuple[float, ...], size: int) -> Int:
    """Indices drawn with probabilities ``p`` (normalised), vectorised through the cumulative sum."""
    cum = np.cumsum(np.asarray(p, dtype=np.float64))
    return np.minimum(np.searchsorted(cum / cum[-1], rng.random(size), side="right"), len(cum) - 1).astype(np.int64)


def by_age(age: Float, table: tuple[tuple[int, float], ...]) -> Float:
    """Look up a rate from ((upper age bound, rate), …), bounds ascending."""
    bounds = np.array([b for b, _ in table], dtype=np.float64)
    rates = np.array([r for _, r in table], dtype=np.float64)
    return rates[np.minimum(np.searchsorted(bounds, age, side="right"), len(rates) - 1)]


def gumbel(rng: np.random.Generator, size: int) -> Float:
    """Noise for ranked selection: top-k of score + Gumbel ≈ sampling with weights exp(score)."""
    return np.asarray(-np.log(-np.log(rng.random(size).clip(1e-12, 1 - 1e-12))), dtype=np.float64)


class Groups:
    """Persons grouped by household: persons are stored in household order, every household non-empty."""

    def __init__(self, household_of_person: Int, households: int) -> None:
        self.of = household_of_person
        self.n = households
        self.size = np.bincount(household_of_person, minlength=households).astype(np.int64)
        self.start = np.cumsum(self.size) - self.size

    def sum(self, values: NDArray[Any]) -> Int:
        return np.add.reduceat(values.astype(np.int64), self.start).astype(np.int64)

    def any(self, mask: Bool) -> Bool:
        return np.asarray(np.logical_or.reduceat(mask, self.start), dtype=bool)

    def all(self, mask: Bool) -> Bool:
        return np.asarray(np.logical_and.reduceat(mask, self.start), dtype=bool)

    def max(self, values: Float) -> Float:
        return np.asarray(np.maximum.reduceat(values, self.start), dtype=np.float64)

    def min(self, values: Float) -> Float:
        return np.asarray(np.minimum.reduceat(values, self.start), dtype=np.float64)

    def rank(self) -> Int:
        """Each person's 0-based position within the household."""
        return np.arange(len(self.of), dtype=np.int64) - self.start[self.of]


def keep_where(series: pl.Series, keep: Bool) -> pl.Series:
    """The series with blanks (nulls) where ``keep`` is false."""
    return pl.select(pl.when(pl.Series(keep)).then(series)).to_series().alias(series.name)


def labels(values: Sequence[str] | pl.Series, idx: Int) -> pl.Series:
    """``values[idx]`` as a string series, blank where ``idx`` < 0 (polars, not numpy strings: fast)."""
    if len(values) == 0:
        return pl.repeat(None, len(idx), dtype=pl.String, eager=True)
    source = values if isinstance(values, pl.Series) else pl.Series(list(values), dtype=pl.String)
    out = source.gather(np.maximum(idx, 0))
    return keep_where(out, idx >= 0) if (idx < 0).any() else out


def spread(values: pl.Series, rows: Int, n: int) -> pl.Series:
    """A length-``n`` series holding ``values`` at ``rows`` (ascending) and blanks elsewhere."""
    if len(values) == 0:
        return pl.repeat(None, n, dtype=values.dtype, eager=True)
    position = np.zeros(n, dtype=np.int64)
    position[rows] = np.arange(len(rows))
    keep = np.zeros(n, dtype=bool)
    keep[rows] = True
    return keep_where(values.gather(position), keep)


def digits(values: Int, width: int) -> pl.Series:
    """Integers as zero-padded decimal strings."""
    return pl.Series(values).cast(pl.String).str.zfill(width)


def iso_dates(days: Int) -> pl.Series:
    """Days since 1970-01-01 as YYYY-MM-DD strings, through a table of the distinct days (faster than strftime)."""
    if len(days) == 0:
        return pl.Series([], dtype=pl.String)
    lo, hi = int(days.min()), int(days.max())
    epoch = dt.date(1970, 1, 1)
    table = [(epoch + dt.timedelta(days=d)).isoformat() for d in range(lo, hi + 1)]
    return labels(table, days - lo)
