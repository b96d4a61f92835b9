"""The two inputs of 数据比对 as Polars frames, checked and given their matching keys.

Registry persons (``persons``): ``id`` (the person's key, any type), ``household_no``, ``name``,
``id_number``, ``birth_date`` (Date), ``village`` (12-digit code), ``township`` (optional; the first
nine digits of the village code + ``000`` when absent).

List rows (``rows``): ``source`` (death, vehicle, …), ``row`` (the data row of the file, header = 1),
``name``, ``id_number`` (may be null), ``birth_date`` (Date, may be null), ``village`` (may be null);
other columns are evidence and are ignored here. :func:`rows_from_list` builds this frame from a list
file's Chinese columns (姓名, 身份证号, 出生日期, 村代码).
"""

from __future__ import annotations

import polars as pl

from jingzhun.crosscheck.ids import normalise_ids
from jingzhun.crosscheck.names import name_keys

PERSON_COLUMNS = ("id", "household_no", "name", "id_number", "birth_date", "village")
ROW_COLUMNS = ("source", "row", "name", "id_number", "birth_date", "village")
LIST_COLUMNS = {"姓名": "name", "身份证号": "id_number", "出生日期": "birth_date", "村代码": "village"}
DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d", "%Y.%m.%d")


def _require(frame: pl.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}缺少列：{'、'.join(missing)}")
    if frame.schema["birth_date"] != pl.Date:
        raise ValueError(f"{what}的 birth_date 列须为日期类型，实际为 {frame.schema['birth_date']}")


def check_persons(persons: pl.DataFrame) -> None:
    """ValueError (Chinese) when the persons frame lacks a column or its birth_date is not a Date."""
    _require(persons, PERSON_COLUMNS, "户籍人员表")


def check_rows(rows: pl.DataFrame) -> None:
    """ValueError (Chinese) when the rows frame lacks a column or its birth_date is not a Date."""
    _require(rows, ROW_COLUMNS, "比对名单")


def parse_dates(values: pl.Series) -> pl.Series:
    """Text dates in the usual spellings → Date; anything unreadable → null."""
    if values.dtype == pl.Date:
        return values
    if values.dtype == pl.Datetime:
        return values.dt.date()
    text = values.cast(pl.String).str.strip_chars()
    parsed = [text.str.strptime(pl.Date, fmt, strict=False) for fmt in DATE_FORMATS]
    out = parsed[0]
    for other in parsed[1:]:
        out = out.fill_null(other)
    return out.alias(values.name)


def _swap_day_month(birth: pl.Expr) -> pl.Expr:
    """The date with day and month exchanged, where that is another valid date; else null."""
    day, month = birth.dt.day(), birth.dt.month()
    return (
        pl.when((day <= 12) & (day != month))
        .then(pl.date(birth.dt.year(), day, month))
        .otherwise(None)
        .alias("birth_swap")
    )


def _code(col: str) -> pl.Expr:
    text = pl.col(col).cast(pl.String).str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text)


def with_name_keys(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``name_raw``, ``name``, ``name_py``, ``surname``, ``surname_py`` from the ``name_in`` column."""
    return frame.hstack(name_keys(frame["name_in"])).with_columns(
        pl.col("name_py").str.split(" ").list.first().alias("surname_py")
    )


def prepare_persons(persons: pl.DataFrame, *, names: bool = True) -> pl.DataFrame:
    """Registry persons with matching keys: ``uid`` (position), ``id18``, birth, village, township, and
    (``names``) the name keys of :func:`with_name_keys`. Registry ID numbers were validated on import."""
    check_persons(persons)
    township = (
        _code("township")
        if "township" in persons.columns
        else pl.concat_str(_code("village").str.slice(0, 9), pl.lit("000"))
    )
    frame = persons.select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("uid"),
        pl.col("id").alias("person_id"),
        pl.col("household_no").cast(pl.String),
        pl.col("id_number").cast(pl.String).str.strip_chars().str.to_uppercase().alias("id18"),
        pl.col("name").cast(pl.String).alias("name_in"),
        pl.col("birth_date").alias("birth"),
        _code("village").alias("village"),
        township.alias("township"),
    ).with_columns(_swap_day_month(pl.col("birth")))
    return with_name_keys(frame) if names else frame


def prepare_rows(rows: pl.DataFrame, *, names: bool = True) -> pl.DataFrame:
    """List rows with matching keys: ``uid``, ``id18`` or ``id_problem``, birth, stated village, and
    (``names``) the name keys of :func:`with_name_keys`."""
    check_rows(rows)
    village = _code("village")
    frame = (
        rows.select(
            pl.int_range(pl.len(), dtype=pl.Int64).alias("uid"),
            pl.col("source").cast(pl.String),
            pl.col("row").cast(pl.Int64),
            pl.col("name").cast(pl.String).alias("name_in"),
            pl.col("birth_date").alias("birth"),
            village.alias("village"),
            pl.concat_str(village.str.slice(0, 9), pl.lit("000")).alias("township"),
        )
        .hstack(normalise_ids(rows["id_number"]))
        .with_columns(_swap_day_month(pl.col("birth")))
    )
    return with_name_keys(frame) if names else frame


def rows_from_list(table: pl.DataFrame, source: str) -> pl.DataFrame:
    """A department list as read from its file (Chinese headers) → the ``rows`` frame; row = position + 2."""
    if "姓名" not in table.columns or "身份证号" not in table.columns:
        raise ValueError("名单须有“姓名”和“身份证号”两列（身份证号可为空）")
    n = table.height
    columns = {
        english: (table[chinese] if chinese in table.columns else pl.Series([None] * n, dtype=pl.String))
        for chinese, english in LIST_COLUMNS.items()
    }
    return pl.DataFrame(
        {
            "source": pl.Series([source] * n, dtype=pl.String),
            "row": pl.int_range(2, n + 2, dtype=pl.Int64, eager=True),
            "name": columns["name"].cast(pl.String),
            "id_number": columns["id_number"].cast(pl.String),
            "birth_date": parse_dates(columns["birth_date"]),
            "village": columns["village"].cast(pl.String),
        }
    )
