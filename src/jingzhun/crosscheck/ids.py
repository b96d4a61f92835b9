"""ID numbers of department lists: 18-digit GB 11643 numbers validated, 15-digit old numbers converted.

A list row's 身份证号 is *usable* when, after trimming, full-width → half-width and ``x`` → ``X``, it is a
valid 18-digit number (:func:`jingzhun.registry.idnumber.parse_id_number`: check digit and birth date),
or a 15-digit pre-1999 number (6-digit region, ``YYMMDD`` of a 19xx birth, 3-digit sequence) whose
18-digit form — ``19`` inserted before the year and the check digit appended — is valid. Anything else
(blank, wrong length, bad check digit, impossible date) is not usable and the row goes to fuzzy matching
with the reason kept beside it.

Vectorised over the distinct values of a column: each distinct number is parsed once.
"""

from __future__ import annotations

import unicodedata

import polars as pl

from jingzhun.registry.idnumber import IdNumberError, check_digit, parse_id_number

BLANK = "空白"


def convert_15(number: str) -> str:
    """The 18-digit form of a 15-digit old number (no validation beyond digits)."""
    first17 = f"{number[:6]}19{number[6:15]}"
    return first17 + check_digit(first17)


def normalise_id(raw: str | None) -> tuple[str | None, str | None]:
    """``(18-digit number, None)`` when usable, ``(None, reason)`` otherwise; the reason is Chinese."""
    if raw is None:
        return None, BLANK
    text = unicodedata.normalize("NFKC", raw).strip().replace(" ", "").upper()
    if not text:
        return None, BLANK
    if len(text) == 15:
        if not text.isdigit():
            return None, "15 位旧身份证号须全为数字"
        text = convert_15(text)
    try:
        return parse_id_number(text).number, None
    except IdNumberError as exc:
        return None, str(exc)


def normalise_ids(values: pl.Series) -> pl.DataFrame:
    """Columns ``id18`` (usable 18-digit number or null) and ``id_problem`` (null or why not), row by row."""
    raw = values.cast(pl.String)
    distinct = raw.unique().drop_nulls().to_list()
    parsed = [normalise_id(v) for v in distinct]
    table = pl.DataFrame(
        {
            "raw": pl.Series(distinct, dtype=pl.String),
            "id18": pl.Series([p[0] for p in parsed], dtype=pl.String),
            "id_problem": pl.Series([p[1] for p in parsed], dtype=pl.String),
        }
    )
    joined = pl.DataFrame({"raw": raw}).join(table, on="raw", how="left", maintain_order="left")
    return joined.select(
        "id18",
        pl.when(pl.col("raw").is_null()).then(pl.lit(BLANK)).otherwise(pl.col("id_problem")).alias("id_problem"),
    )
