"""What an import file may hold (导入文件的上限), checked before a single cell is read.

The spreadsheet reader (python-calamine) lays the first sheet out as one dense table from the first to
the last cell it finds, whatever lies between: one cell at XFD1048576 in a 2 KB file is 17 billion
cells (~550 GB) and a million near-empty rows are gigabytes. So every file is looked at cheaply first —
the .xlsx zip's directory, each member's real decompressed size while it streams (never the size the
zip claims), the sheet's ``<dimension ref=…>`` and, because that can be missing or lie, the address of
every cell while the XML streams past — and refused with one Chinese message naming the limit
(:class:`LimitExceeded`) as soon as one is passed. Nothing is kept of the XML but the furthest row and
column seen, so the check itself runs in a few megabytes.

The limits are what a county's file needs with room to spare: the benchmark's county (100 000
households, ~315 000 persons, 43 columns) is a 39.5 MB .xlsx that unzips to 0.43 GB of XML (10.9 : 1); a
larger county imports township by township.
"""

from __future__ import annotations

MB = 1024 * 1024

MAX_FILE_BYTES = 200 * MB
"""An upload or an imported file: the web upload stops reading the request here (registry.uploads)."""

MAX_ROWS = 500_000
"""Data rows below the header: half a million persons, 1.6 × the benchmark county."""

MAX_COLUMNS = 100
"""Columns of the sheet: the household template has 43, the projects template 10."""

MAX_CELLS = 25_000_000
"""Rows × columns of the table the reader lays out (~1 GB in the reader at worst)."""

MAX_UNZIPPED_BYTES = 2048 * MB
"""All members of an .xlsx together once decompressed (the benchmark county: 0.43 GB)."""

MAX_RATIO = 200
"""Decompressed : compressed of any member over 1 MB; sheet XML compresses 5–30 : 1, a zip bomb 1000 : 1."""

MAX_MEMBERS = 10_000
"""Files inside the .xlsx (a workbook has a dozen or so; the zip's directory is read before anything)."""

MAX_TAG_BYTES = 4 * MB
"""One XML tag or text run in a sheet (a cell holds at most 32 767 characters)."""

SPLIT_HINT = "请按乡镇拆分后分批导入"


class LimitExceeded(ValueError):
    """The file passes a limit above; the message (Chinese) names the limit."""


def too_big(size: int) -> LimitExceeded:
    return LimitExceeded(
        f"文件大小超过上限 {MAX_FILE_BYTES // MB} MB（本文件约 {max(size // MB, 1)} MB 以上），{SPLIT_HINT}。"
    )


def too_many_rows(row: int) -> LimitExceeded:
    return LimitExceeded(f"数据行数超过上限 {MAX_ROWS:,} 行（第 {row:,} 行仍有单元格），{SPLIT_HINT}。")


def too_many_columns(column: int) -> LimitExceeded:
    return LimitExceeded(
        f"列数超过上限 {MAX_COLUMNS} 列（文件中有第 {column:,} 列的单元格），请删除多余的列后重新导入。"
    )


def too_many_cells(rows: int, columns: int) -> LimitExceeded:
    return LimitExceeded(
        f"表格区域超过上限 {MAX_CELLS:,} 个单元格（{rows:,} 行 × {columns} 列），{SPLIT_HINT}或删除多余的列。"
    )


def check_table(rows: int, columns: int) -> None:
    """``rows`` counts the header row (row 1); ``columns`` the furthest column used."""
    if rows - 1 > MAX_ROWS:
        raise too_many_rows(rows)
    if columns > MAX_COLUMNS:
        raise too_many_columns(columns)
    if rows * columns > MAX_CELLS:
        raise too_many_cells(rows, columns)
