"""Names for matching: simplified characters, pinyin keys, surname.

* ``name``: NFKC (full-width letters, compatibility forms), whitespace and the middle dot of minority
  names removed, every traditional character replaced by its simplified form (OpenCC ``t2s``, character by
  character — names are not phrases).
* ``name_py``: the tone-less pinyin of each character, space-separated (``王建国`` → ``wang jian guo``), so
  that homophones written with other characters (``王建国`` / ``王剑国``) agree. A character with several
  readings takes pypinyin's first (most frequent) one, the same on both sides.
* ``surname``: the first character (compound surnames such as 欧阳 are rare in 吕梁 and still agree on it).

Vectorised: each distinct character is converted once and mapped over the column with Polars.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import polars as pl

_DROP = str.maketrans("", "", " \t\u3000·•・.")


@cache
def _t2s() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def simplified_char(char: str) -> str:
    out: str = _t2s().convert(char)  # type: ignore[attr-defined]
    return out if len(out) == 1 else char


def pinyin_char(char: str) -> str:
    from pypinyin import Style, lazy_pinyin

    if not ("\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"):
        return char.lower()
    return lazy_pinyin(char, style=Style.NORMAL)[0]


def clean(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw).translate(_DROP)


def _map_chars(names: pl.Series, convert: object, sep: str) -> pl.Series:
    chars = names.str.split("").explode(empty_as_null=True).drop_nulls().unique().to_list()
    mapping = {c: convert(c) for c in chars if c}  # type: ignore[operator]
    frame = pl.DataFrame({"name": names})
    return frame.select(
        pl.col("name")
        .str.split("")
        .list.eval(pl.element().replace_strict(mapping, default=pl.element(), return_dtype=pl.String))
        .list.join(sep)
    ).to_series()


def name_keys(raw: pl.Series) -> pl.DataFrame:
    """Columns ``name_raw`` (trimmed as written), ``name`` (simplified), ``name_py``, ``surname``; nulls stay null."""
    text = raw.cast(pl.String)
    distinct = text.unique().drop_nulls()
    cleaned = pl.Series([clean(v) for v in distinct.to_list()], dtype=pl.String)
    simple = _map_chars(cleaned, simplified_char, "")
    pinyin = _map_chars(simple, pinyin_char, " ")
    table = pl.DataFrame({"raw": distinct, "name_raw": cleaned, "name": simple, "name_py": pinyin}).with_columns(
        pl.when(pl.col("name") == "").then(None).otherwise(pl.col(c)).alias(c) for c in ("name_raw", "name", "name_py")
    )
    joined = pl.DataFrame({"raw": text}).join(table, on="raw", how="left", maintain_order="left")
    return joined.select("name_raw", "name", "name_py", pl.col("name").str.slice(0, 1).alias("surname"))
