"""户编号 the system assigns (16 digits: the 12-digit village code and a 4-digit sequence in the village).

A file's 户编号 only groups its rows into households. When it already is a number of this form for the
household's own village (a county's register exported from this system, or the demo's), it is kept; any
other ("新-01", "H1", a number of another village) is replaced on import by the village's next free
sequence, and kept beside it as ``Household.import_no`` (what the file said, never an identifier).
"""

from __future__ import annotations

import re

import polars as pl
from django.db.models import Max

from jingzhun.registry.models import Household

SEQUENCE_DIGITS = 4
SYSTEM_NO = re.compile(r"[0-9]{16}")


class NumbersExhausted(ValueError):
    """A village has used every 4-digit sequence; the message is Chinese."""


def is_system_no(number: str, village_code: str) -> bool:
    """Whether ``number`` is a system 户编号 of ``village_code``'s own (kept on import)."""
    return bool(SYSTEM_NO.fullmatch(number)) and number.startswith(village_code)


def next_sequences(village_codes: list[str]) -> dict[str, int]:
    """The next free sequence of each village (1 for a village without a system number yet); one query."""
    rows = (
        Household.objects.filter(village__code__in=village_codes, household_no__regex=r"^[0-9]{16}$")
        .values("village__code")
        .annotate(top=Max("household_no"))
        .order_by()
    )
    found = {r["village__code"]: int(r["top"][12:]) + 1 for r in rows if r["top"].startswith(r["village__code"])}
    return {code: found.get(code, 1) for code in village_codes}


def assign(households: pl.DataFrame, persons: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, str]]:
    """The frames with every non-system 户编号 replaced by the village's next free one (in file order) and
    the file's own number in ``import_no``; and {file number: assigned number}. Call inside the import's
    transaction: two imports racing for a number meet the unique constraint and one rolls back whole."""
    pairs = list(zip(households["household_no"].to_list(), households["village_code"].to_list(), strict=True))
    codes = sorted({code for _, code in pairs})
    following = next_sequences(codes)
    for number, code in pairs:  # a kept system number moves its village's sequence on
        if is_system_no(number, code):
            following[code] = max(following[code], int(number[12:]) + 1)
    mapping: dict[str, str] = {}
    for number, code in pairs:
        if is_system_no(number, code):
            continue
        sequence = following[code]
        if sequence >= 10**SEQUENCE_DIGITS:
            raise NumbersExhausted(f"村 {code} 的户编号已用完（最多 {10**SEQUENCE_DIGITS - 1} 户），请联系县级处理")
        mapping[number] = f"{code}{sequence:0{SEQUENCE_DIGITS}d}"
        following[code] = sequence + 1
    if not mapping:
        return households.with_columns(pl.lit("").alias("import_no")), persons, mapping
    new_no = pl.col("household_no").replace(mapping)
    households = households.with_columns(
        pl.when(pl.col("household_no").is_in(list(mapping))).then(pl.col("household_no")).otherwise(pl.lit(""))
        .alias("import_no"),
        new_no.alias("household_no"),
    )  # fmt: skip
    return households, persons.with_columns(new_no.alias("household_no")), mapping
