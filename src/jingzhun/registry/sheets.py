"""Read an import file (.xlsx first sheet, or .csv) into a Polars frame of trimmed strings.

Every cell becomes a string or null, whatever Excel typed it as, so that validation is one set of
column-wise string rules (:mod:`.parse`): a number cell reads as ``"2016.0"`` or ``"85.5"`` (Excel
stores every number as a float), a date cell as ``"2016-05-01"``, an empty or blank cell as null. The
frame keeps each data row's spreadsheet row number in ``_row`` (header = row 1), as the cadre sees it.
CSV files are UTF-8 with or without BOM; if that fails they are read as GB18030, the encoding Excel uses
when cadres "save as CSV" on a Chinese Windows.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from jingzhun.registry import limits
from jingzhun.registry.limits import LimitExceeded
from jingzhun.registry.sheet_guard import Unreadable, check_workbook

ROW = "_row"
CHUNK_ROWS = 50_000  # rows turned into a frame at a time: bounds the Python objects alive at once
TEMPORAL = (dt.date, dt.time, dt.timedelta)  # dt.datetime is a dt.date
BLANKS = " \t\r\n\u3000\u00a0"  # includes the full-width space Chinese input methods type


UNREADABLE_WORKBOOK = (
    "无法读取 Excel 文件：文件已损坏、不完整或设置了打开密码，不是有效的 .xlsx 工作簿。"
    "请用 Excel 打开并另存为 .xlsx（或 .csv）后重新上传"
)


class SheetError(ValueError):
    """The file cannot be read as a table at all (message in Chinese)."""


@dataclass(frozen=True)
class Sheet:
    headers: tuple[str, ...]  # as written in row 1, trimmed
    frame: pl.DataFrame  # one String column per header, plus ``_row`` (Int64)


def read_sheet(path: Path, *, text_columns: Collection[str] = ()) -> Sheet:
    """Read the first sheet (or the CSV). ``text_columns`` name headers whose number cells are kept in
    Excel's own display form (``1.41102195803121E+17``), so an ID number that Excel turned into a number
    is recognisable as such instead of passing as 18 digits with the last ones silently zeroed."""
    suffix = path.suffix.lower()
    try:
        if suffix in {".xlsx", ".xlsm"}:
            raw = _read_workbook(path, text_columns)
        elif suffix in {".csv", ".txt"}:
            raw = _read_csv(path)
        else:  # .xls and .ods too: their limits are not checked, so they are not read (另存为 .xlsx)
            raise SheetError(f"不支持的文件类型 {suffix or '（无扩展名）'}，请使用 .xlsx 或 .csv")
    except LimitExceeded as exc:
        raise SheetError(str(exc)) from None
    return _tidy(raw)


def _read_workbook(path: Path, text_columns: Collection[str]) -> pl.DataFrame:
    from python_calamine import CalamineWorkbook

    try:
        check_workbook(path)  # the limits, before the reader lays out a single cell
    except Unreadable:
        raise SheetError(UNREADABLE_WORKBOOK) from None
    try:
        book = CalamineWorkbook.from_path(str(path))
        rows = book.get_sheet_by_index(0).iter_rows()
    except Exception as exc:  # calamine raises its own error types (English) for corrupt or encrypted files
        raise SheetError(UNREADABLE_WORKBOOK) from exc
    header = next(rows, None)
    if header is None:
        raise SheetError("文件是空的：第一个工作表没有表头行")
    schema = {f"c{i}": pl.String for i in range(len(header))}
    numbers_as_text = {i for i, name in enumerate(header) if str(name).strip() in text_columns}
    dates: set[int] = set()  # columns seen holding date cells, converted in Python from then on
    frames = [pl.DataFrame([[str(h) for h in header]], schema=schema, orient="row")]
    while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
        _cells_to_text(chunk, numbers_as_text, dates)
        try:
            # Non-strict String construction turns numbers and booleans into their text in Rust.
            frame = pl.DataFrame(chunk, schema=schema, orient="row", strict=False)
        except pl.exceptions.PolarsError:  # a date cell in a column not seen with dates before
            columns = enumerate(zip(*chunk, strict=False))
            dates |= {i for i, cells in columns if any(isinstance(v, TEMPORAL) for v in cells)}
            _cells_to_text(chunk, set(), dates)
            frame = pl.DataFrame(chunk, schema=schema, orient="row", strict=False)
        frames.append(frame)
    return pl.concat(frames)


def _cells_to_text(chunk: list[list[Any]], numbers: set[int], dates: set[int]) -> None:
    """In place: number cells of ``numbers`` as Excel shows them (15 digits), date cells as ISO text."""
    for cells in chunk if numbers or dates else ():
        for i in numbers:
            if type(cells[i]) is float:
                cells[i] = format(cells[i], ".15G")
        for i in dates:
            value = cells[i]
            if isinstance(value, dt.datetime):
                cells[i] = value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
            elif isinstance(value, TEMPORAL):
                cells[i] = value.isoformat() if not isinstance(value, dt.timedelta) else str(value)


def _read_csv(path: Path) -> pl.DataFrame:
    size = path.stat().st_size
    if size > limits.MAX_FILE_BYTES:
        raise limits.too_big(size)
    data = path.read_bytes()
    # Counted on the bytes (a quoted line break counts too, which only errs on the safe side).
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    columns = data[: data.find(b"\n") if b"\n" in data else len(data)].count(b",") + 1
    limits.check_table(lines, columns)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data = data.decode("gb18030").encode("utf-8")
        except UnicodeDecodeError:
            raise SheetError("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GB18030") from None
    if not data.strip():
        raise SheetError("文件是空的：没有表头行")
    try:
        frame = pl.read_csv(io.BytesIO(data), has_header=False, infer_schema=False, truncate_ragged_lines=False)
    except pl.exceptions.PolarsError as exc:
        raise SheetError(f"CSV 格式错误：{exc}") from exc
    return frame.rename({name: f"c{i}" for i, name in enumerate(frame.columns)})


def _tidy(raw: pl.DataFrame) -> Sheet:
    """Trim cells, blank → null, drop empty rows and unnamed empty columns, name columns by their header."""
    if raw.height == 0:
        raise SheetError("文件是空的：没有表头行")
    cleaned = raw.with_columns(pl.all().str.strip_chars(BLANKS)).with_columns(
        pl.when(pl.all() == "").then(None).otherwise(pl.all()).name.keep()
    )
    header = [v or "" for v in cleaned.row(0)]
    body = cleaned.slice(1).with_columns(pl.int_range(2, cleaned.height + 1, dtype=pl.Int64).alias(ROW))
    keep: dict[str, str] = {}
    for i, name in enumerate(header):
        column = f"c{i}"
        if not name:
            if body[column].null_count() == body.height:
                continue  # a trailing empty column Excel kept because it was once formatted
            raise SheetError(f"第1行第{i + 1}列没有列名，但该列有数据")
        if name in keep.values():
            raise SheetError(f"第1行 [{name}] 列名重复")
        keep[column] = name
    if not keep:
        raise SheetError("文件是空的：没有表头行")
    body = body.select([*keep, ROW]).rename(keep)
    body = body.filter(~pl.all_horizontal(pl.exclude(ROW).is_null()))  # rows left blank between or after data
    return Sheet(headers=tuple(keep.values()), frame=body)
