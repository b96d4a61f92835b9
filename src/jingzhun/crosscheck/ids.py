"""ID numbers of department lists: 18-digit GB 11643 numbers validated, 15-digit old numbers converted.

A list row's 身份证号 is *usable* when, after trimming, full-width → half-width and ``x`` → ``X``, it is a
valid 18-digit number (:func:`jingzhun.registry.idnumber.parse_id_number`: check digit and birth date),
or a 15-digit pre-1999 number (6-digit region, ``YYMMDD`` of a 19xx birth, 3-digit sequence) whose
18-digit form — ``19`` inserted before the year and the check digit appended — is valid. Anything else
(blank, wrong length, bad check digit, impossible date) is not usable and the row goes to fuzzy matching
with the reason kept beside it.

:func:`normalise_id` is the reference for one value; :func:`normalise_ids` does a column in Polars and
agrees with it value for value.
"""

from __future__ import annotations

import unicodedata

import polars as pl

from jingzhun.registry.idnumber import CHECK_CHARS, WEIGHTS, IdNumberError, check_digit, parse_id_number

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


_FULL_WIDTH = {chr(0xFF10 + i): str(i) for i in range(10)} | {"Ｘ": "X", "ｘ": "X"}


def _check_digit_expr(first17: pl.Expr) -> pl.Expr:
    """GB 11643's check digit of 17 digits, as a Polars expression (the registry's weights and table)."""
    total = pl.sum_horizontal(first17.str.slice(i, 1).cast(pl.Int64) * w for i, w in enumerate(WEIGHTS))
    return (total % 11).replace_strict(dict(enumerate(CHECK_CHARS)), return_dtype=pl.String)


def normalise_ids(values: pl.Series) -> pl.DataFrame:
    """Columns ``id18`` (usable 18-digit number or null) and ``id_problem`` (null or why not), row by row.

    Vectorised: the usual spellings (spaces, full-width digits, ``x``) are cleaned and the 15 → 18
    conversion, check digit and birth date checked in Polars; only what that does not accept — a small
    share, blank cells aside — goes through :func:`normalise_id` one by one, which gives the Chinese reason
    (and accepts any rarer spelling NFKC can fold). A number is usable here exactly when
    :func:`normalise_id` says so (``tests/crosscheck/test_ids.py`` checks both on random numbers).
    """
    raw = values.cast(pl.String)
    text = (
        raw.str.replace_many(list(_FULL_WIDTH), list(_FULL_WIDTH.values()))
        .str.replace_all(r"\s", "")
        .str.to_uppercase()
    )
    frame = pl.DataFrame({"raw": raw, "text": text})
    old = pl.col("text").str.contains(r"^\d{15}$")
    first17 = (
        pl.when(old)
        .then(pl.concat_str(pl.col("text").str.slice(0, 6), pl.lit("19"), pl.col("text").str.slice(6, 9)))
        .otherwise(pl.col("text").str.slice(0, 17))
    )
    frame = frame.with_columns(first17.alias("first17")).with_columns(
        pl.when(old)
        .then(pl.concat_str(pl.col("first17"), _check_digit_expr(pl.col("first17"))))
        .otherwise(pl.col("text"))
        .alias("candidate")
    )
    shaped = pl.col("candidate").str.contains(r"^\d{17}[\dX]$")
    birth = pl.col("candidate").str.slice(6, 8).str.strptime(pl.Date, "%Y%m%d", strict=False)
    valid = (
        shaped.fill_null(False)
        & (pl.col("candidate").str.slice(17, 1) == _check_digit_expr(pl.col("candidate"))).fill_null(False)
        & (birth.dt.year() >= 1880).fill_null(False)
    )
    frame = frame.with_columns(
        pl.when(shaped).then(valid).otherwise(False).alias("valid"),
        (pl.col("text").is_null() | (pl.col("text") == "")).alias("blank"),
    )
    rest = frame.filter(~pl.col("valid") & ~pl.col("blank"))["raw"].unique().to_list()
    parsed = [normalise_id(v) for v in rest]
    slow = pl.DataFrame(
        {
            "raw": pl.Series(rest, dtype=pl.String),
            "slow_id": pl.Series([p[0] for p in parsed], dtype=pl.String),
            "slow_problem": pl.Series([p[1] for p in parsed], dtype=pl.String),
        }
    )
    joined = frame.join(slow, on="raw", how="left", maintain_order="left")
    return joined.select(
        pl.when(pl.col("valid")).then(pl.col("candidate")).otherwise(pl.col("slow_id")).alias("id18"),
        pl.when(pl.col("valid"))
        .then(None)
        .when(pl.col("blank"))
        .then(pl.lit(BLANK))
        .otherwise(pl.col("slow_problem"))
        .alias("id_problem"),
    )
