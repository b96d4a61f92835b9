"""ID numbers (GB 11643) and bank card numbers (Luhn), built for millions of persons at once.

The sequence code makes numbers unique: persons are counted within their (birth date, sex), and the
k-th gets serial ``2k`` (women) or ``2k + 1`` (men), exactly as :func:`jingzhun.registry.idnumber.make_id_number`
does for one person. A (date, sex) cell holds 500 persons per region code; a cell that overflows
continues under the county's pre-2004 code from the 吕梁地区 era (e.g. 离石市 142301), which many
older residents' numbers still carry.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from jingzhun.registry.idnumber import CHECK_CHARS, WEIGHTS
from jingzhun.synth.arrays import Bool, Int, labels

OLD_CODES = {  # 吕梁地区 (1423xx) codes, before 吕梁 became a city in 2003–2004
    "141102": "142301", "141181": "142302", "141182": "142303", "141121": "142322", "141122": "142323",
    "141123": "142325", "141124": "142326", "141125": "142327", "141126": "142328", "141127": "142329",
    "141128": "142330", "141129": "142332", "141130": "142333",
}  # fmt: skip
PER_CELL = 500


def serials(birth: Int, male: Bool) -> Int:
    """0-based count of each person within its (birth date, sex)."""
    key = (birth * 2 + male).astype(np.int32)
    order = np.argsort(key)
    sorted_key = key[order]
    new_cell = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
    cell_start = np.maximum.accumulate(np.where(new_cell, np.arange(len(key)), 0))
    out = np.empty(len(key), dtype=np.int64)
    out[order] = np.arange(len(key)) - cell_start
    return out


def _weighted(first: int, width: int, count: int) -> Int:
    """Σ digit × weight for the numbers 0 … count-1 written with ``width`` digits at position ``first``."""
    values = np.arange(count)
    total = np.zeros(count, dtype=np.int64)
    for i in range(width):
        total += (values // 10 ** (width - 1 - i) % 10) * WEIGHTS[first + i]
    return total


YEAR_W, MONTH_W, DAY_W, SERIAL_W = (
    _weighted(6, 4, 10000),
    _weighted(10, 2, 13),
    _weighted(12, 2, 32),
    _weighted(14, 3, 1000),
)


def id_numbers(county: str, birth: Int, male: Bool) -> pl.Series:
    seq = serials(birth, male)
    cell = seq // PER_CELL
    if cell.max(initial=0) > 1:
        raise ValueError(f"同一出生日期、性别的人数超过 {2 * PER_CELL}：户数过多")
    codes = (int(county), int(OLD_CODES[county]))
    region = np.array(codes, dtype=np.int64)[cell]
    region_w = np.array([sum(int(d) * w for d, w in zip(str(c), WEIGHTS[:6], strict=True)) for c in codes])
    dates = pl.Series(birth.astype(np.int32)).cast(pl.Date)
    year = dates.dt.year().to_numpy().astype(np.int64)
    month = dates.dt.month().to_numpy().astype(np.int64)
    day = dates.dt.day().to_numpy().astype(np.int64)
    serial = (seq % PER_CELL) * 2 + male
    total = region_w[cell] + YEAR_W[year] + MONTH_W[month] + DAY_W[day] + SERIAL_W[serial]
    first17 = region * 10**11 + (year * 10000 + month * 100 + day) * 1000 + serial
    return pl.Series(first17).cast(pl.String) + labels(CHECK_CHARS, total % 11)


def card_numbers(rng: np.random.Generator, prefixes: list[str], which: Int) -> pl.Series:
    """19-digit card numbers: a 6-digit prefix, 12 random digits and a Luhn check digit."""
    body = np.array([int(p) for p in prefixes], dtype=np.int64)[which] * 10**12 + rng.integers(0, 10**12, len(which))
    total = np.zeros(len(which), dtype=np.int64)
    rest = body.copy()
    for i in range(18):  # rightmost body digit is doubled (it sits left of the check digit)
        d = rest % 10
        if i % 2 == 0:
            d = d * 2
            d = np.where(d > 9, d - 9, d)
        total += d
        rest //= 10
    check = (10 - total % 10) % 10
    return pl.Series(body * 10 + check).cast(pl.String)
