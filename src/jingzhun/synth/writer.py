"""Assemble the import template (one row per person, columns.HEADERS in order) and write it as CSV or XLSX.

CSV: UTF-8 without BOM, header row, blanks for empty cells. XLSX: one sheet 户籍, written with
xlsxwriter in constant-memory mode; ID, account and phone numbers as text, years, grades, areas and
money as numbers; the document's creation date is fixed so equal arguments give equal bytes.
Household columns are repeated on every row of the household.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import polars as pl

from jingzhun.registry.columns import HEADERS
from jingzhun.synth.arrays import Bool, Int, keep_where, labels

XLSX_MAX_ROWS = 1_048_576
NUMERIC = (
    "建档立卡年份",
    "住房面积",
    "残疾等级",
    "收入年度",
    "工资性收入",
    "种养殖收入",
    "经营性收入",
    "财产性收入",
    "转移性收入",
)


def yuan(fen: Int) -> pl.Series:
    """Fen as yuan (written 18000.0, 1234.56)."""
    return pl.Series(fen / 100)


def yes_no(mask: Bool, shown: Bool | None = None) -> pl.Series:
    """是/否, blank where ``shown`` is false."""
    out = labels(("否", "是"), mask.astype(np.int64))
    return out if shown is None else keep_where(out, shown)


def multi(choices: Sequence[str], bits: Int) -> pl.Series:
    """A multi-value cell from a bit mask over ``choices``: labels joined with 、, blank when none."""
    parts = [labels(choices, np.where(bits >> i & 1, i, -1)) for i in range(len(choices))]
    return pl.select(pl.concat_str(parts, separator="、", ignore_nulls=True)).to_series().replace("", None)


def frame(household: dict[str, pl.Series], person: dict[str, pl.Series], household_of_person: Int) -> pl.DataFrame:
    hh = pl.DataFrame(household)
    persons = pl.DataFrame(person)
    rows = hh[pl.Series(household_of_person)]
    missing = set(HEADERS) - set(rows.columns) - set(persons.columns)
    if missing:
        raise ValueError(f"missing columns: {sorted(missing)}")
    return rows.hstack(persons).select(HEADERS)


def write_csv(df: pl.DataFrame, path: Path) -> None:
    df.write_csv(path, include_bom=False, null_value="")


def write_xlsx(df: pl.DataFrame, path: Path, progress: Callable[[str], None] | None = None) -> None:
    import xlsxwriter

    if df.height + 1 > XLSX_MAX_ROWS:
        raise ValueError(f"XLSX 最多 {XLSX_MAX_ROWS - 1} 行，本次共 {df.height} 人：请改用 --format csv")
    typed = df.with_columns(pl.col(c for c in df.columns if c not in NUMERIC).cast(pl.String))
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    book.set_properties({"created": dt.datetime(2020, 6, 30)})
    sheet = book.add_worksheet("户籍")
    sheet.write_row(0, 0, HEADERS)
    sheet.freeze_panes(1, 0)
    step = max(1, typed.height // 10)
    for i, row in enumerate(typed.iter_rows(), start=1):
        sheet.write_row(i, 0, row)
        if progress is not None and i % step == 0:
            progress(f"写出 {path.name}：{i}/{typed.height} 行")
    book.close()
