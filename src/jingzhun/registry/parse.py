"""Column-wise parsing of import cells: for each column Polars expressions for its value and its error.

A cell is parsed once, vectorised over the whole column; the error expression is null where the cell is
fine and a Chinese message where it is not (the English key is added by the caller). Empty cells parse
to null without error here: whether a column is required depends on the row (户主行 or not), so
:mod:`jingzhun.registry.validate` decides that. Pure: Polars, the template contract and the character
rules of :mod:`jingzhun.registry.validators` (which needs no settings); no models, no database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from jingzhun.registry.columns import YES_NO, Column
from jingzhun.registry.idnumber import CHECK_CHARS, WEIGHTS
from jingzhun.registry.validators import NAME_FORBIDDEN, PHONE_DIGITS, PHONE_MESSAGE, PHONE_SHAPE, name_message

MONEY_MAX_DIGITS = {
    "housing_area": 6,
    "water_litres_per_day": 4,
}  # DecimalField(8, 2); money columns allow 9 digits of yuan
INT_RANGES_FIXED = {"disability_grade": (1, 4), "water_fetch_minutes": (0, 1440), "water_days_without": (0, 366)}
BOOL_TEXT = {**YES_NO, "true": True, "false": False}  # Excel TRUE/FALSE cells

NAME_LABELS = {"name": "姓名", "cadre_name": "帮扶责任人"}  # no <, > or control characters (validators.py)
NUMBER_LIKE_TEXT = {"household_no", "village_code", "bank_account", "cadre_phone"}  # Excel may store as numbers


@dataclass(frozen=True)
class Rule:
    """How one column is parsed, in three vectorised passes over the whole frame.

    ``prep``: helper columns (named ``#key``) computed from the raw cells; ``value``: the typed value, stored
    as column ``key``; ``error``: null or the Chinese message, stored as ``!key``. Each pass may use the
    columns of the passes before it, so every expensive string operation runs once per column.
    """

    prep: dict[str, pl.Expr]
    value: pl.Expr
    error: pl.Expr


def rule_for(col: Column, *, max_len: int | None = None, today: dt.date | None = None) -> Rule:
    """The parsing rule for one template column; the raw strings are in column ``col.header``."""
    raw, parsed, today = pl.col(col.header), pl.col(col.key), today or dt.date.today()
    if col.kind in ("str", "region"):
        return text_rule(raw, parsed, col.key, 12 if col.kind == "region" else max_len)
    if col.kind == "int":
        lo, hi = INT_RANGES_FIXED.get(col.key, (2000 if col.key == "income_year" else 2013, today.year))
        return int_rule(raw, parsed, lo, hi)
    if col.kind == "decimal":
        return hundredths_rule(raw, parsed, "#" + col.key, MONEY_MAX_DIGITS.get(col.key, 9))
    if col.kind == "date":
        return date_rule(raw, parsed, today)
    if col.kind == "bool":
        return bool_rule(raw, parsed)
    if col.kind == "enum":
        return enum_rule(raw, parsed, col.choices, col.aliases)
    if col.kind == "multi_enum":
        return multi_enum_rule(raw, "#" + col.key, col.choices)
    if col.kind == "id_number":
        return id_number_rule(raw, parsed, "#" + col.key)
    raise ValueError(f"unknown column kind {col.kind}")


def _when(condition: pl.Expr, message: pl.Expr | str) -> pl.Expr:
    return pl.when(condition).then(pl.lit(message) if isinstance(message, str) else message)


def text_rule(raw: pl.Expr, parsed: pl.Expr, key: str, max_len: int | None) -> Rule:
    if key == "chronic_diseases":  # free-text disease names, 、-separated, stored as a JSON list
        return Rule({}, split_list(raw), pl.lit(None, pl.String))
    value = raw
    if key in NUMBER_LIKE_TEXT:  # a number cell read as "1001.0" means the text 1001
        value = pl.when(raw.str.contains(r"^\d+\.0$")).then(raw.str.strip_suffix(".0")).otherwise(raw)
    error = _when(parsed.str.len_chars() > (max_len or 10_000), f"内容过长（最多 {max_len} 个字）")
    if key == "bank_account":
        error = pl.coalesce(error, _when(~parsed.str.contains(r"^\d{12,30}$"), "银行账号应为 12–30 位数字"))
    if key == "village_code":
        error = pl.coalesce(error, _when(~parsed.str.contains(r"^\d{12}$"), "村代码应为 12 位数字"))
    if key in NAME_LABELS:
        error = pl.coalesce(error, _when(parsed.str.contains(NAME_FORBIDDEN), name_message(NAME_LABELS[key])))
    if key == "cadre_phone":
        digits = parsed.str.count_matches(r"[0-9]")
        bad = ~parsed.str.contains(PHONE_SHAPE) | (digits < PHONE_DIGITS[0]) | (digits > PHONE_DIGITS[1])
        error = pl.coalesce(error, _when(bad, PHONE_MESSAGE))
    return Rule({}, value, error)


def int_rule(raw: pl.Expr, parsed: pl.Expr, lo: int, hi: int) -> Rule:
    value = raw.str.extract(r"^(\d{1,9})(?:\.0+)?$").cast(pl.Int64, strict=False)
    error = pl.coalesce(
        _when(raw.is_not_null() & parsed.is_null(), pl.format("「{}」不是整数", raw)),
        _when((parsed < lo) | (parsed > hi), pl.format(f"{{}} 超出范围（应在 {lo}–{hi} 之间）", parsed)),
    )
    return Rule({}, value, error)


def hundredths_rule(raw: pl.Expr, parsed: pl.Expr, prep: str, max_digits: int) -> Rule:
    """Yuan (or m²) with up to two decimals → integer hundredths (fen), exactly, without floats.

    A float artefact of an Excel formula (``0.30000000000000004``) is rounded to the fen: the cell meant it.
    """
    groups = pl.col(prep)
    whole, frac = groups.struct.field("1"), groups.struct.field("2").fill_null("0").str.pad_end(2, "0")
    from_text = whole.cast(pl.Int64, strict=False) * 100 + frac.cast(pl.Int64, strict=False)
    artefact = raw.str.contains(r"^\d+\.\d{2}(?:0{6,}|9{6,})\d*$")
    from_float = (raw.cast(pl.Float64, strict=False) * 100).round(0).cast(pl.Int64, strict=False)
    value = pl.when(whole.is_not_null()).then(from_text).when(artefact).then(from_float)
    error = (
        pl.when(raw.is_null())
        .then(None)
        .when(raw.str.starts_with("-"))
        .then(pl.format("「{}」不能为负数", raw))
        .when(parsed.is_null() & raw.str.contains(r"^\d+\.\d{3,}$"))
        .then(pl.format("「{}」最多两位小数", raw))
        .when(parsed.is_null())
        .then(pl.format("「{}」不是数字", raw))
        .when(parsed >= 100 * 10**max_digits)
        .then(pl.format("「{}」数值过大", raw))
    )
    return Rule({prep: raw.str.extract_groups(r"^(\d+)(?:\.(\d{1,2}))?$")}, value, error)


def date_rule(raw: pl.Expr, parsed: pl.Expr, today: dt.date) -> Rule:
    """YYYY-MM-DD; also 2020/1/5, 2020.1.5, 2020年1月5日, 20200105 and Excel date cells."""
    text = (
        raw.str.replace_many({"/": "-", ".": "-", "年": "-", "月": "-"})
        .str.strip_suffix("日")
        .str.strip_suffix(" 00:00:00")
    )
    value = pl.coalesce(text.str.to_date("%Y-%m-%d", strict=False), raw.str.to_date("%Y%m%d", strict=False))
    error = pl.coalesce(
        _when(raw.is_not_null() & parsed.is_null(), pl.format("「{}」不是有效日期（应为 YYYY-MM-DD）", raw)),
        _when((parsed > pl.lit(today)) | (parsed < pl.lit(dt.date(1880, 1, 1))), pl.format("日期 {} 不合理", raw)),
    )
    return Rule({}, value, error)


def bool_rule(raw: pl.Expr, parsed: pl.Expr) -> Rule:
    value = raw.str.to_lowercase().replace_strict(BOOL_TEXT, default=None, return_dtype=pl.Boolean)
    return Rule({}, value, _when(raw.is_not_null() & parsed.is_null(), pl.format("「{}」应为 是 或 否", raw)))


def _lookup(choices: Mapping[str, object]) -> dict[str, str]:
    """Chinese label → key, and each key → itself (files written by programs may use the keys)."""
    return {**{str(v): str(v) for v in choices.values()}, **{k: str(v) for k, v in choices.items()}}


def enum_rule(
    raw: pl.Expr, parsed: pl.Expr, choices: Mapping[str, object], aliases: Mapping[str, object] | None = None
) -> Rule:
    lookup = {**{k: str(v) for k, v in (aliases or {}).items()}, **_lookup(choices)}
    value = raw.replace_strict(lookup, default=None, return_dtype=pl.String)
    message = pl.format(f"「{{}}」不是允许的值，可选：{'、'.join(choices)}", raw)
    return Rule({}, value, _when(raw.is_not_null() & parsed.is_null(), message))


def split_list(raw: pl.Expr) -> pl.Expr:
    """``因病、缺技术`` → ["因病", "缺技术"]; empty cell → []."""
    parts = raw.str.replace_many({",": "、", ";": "、", "，": "、", "；": "、"}).str.split("、")
    cleaned = parts.list.eval(pl.element().str.strip_chars().filter(pl.element().str.strip_chars() != ""))
    return cleaned.fill_null(pl.lit([], pl.List(pl.String)))


def multi_enum_rule(raw: pl.Expr, prep: str, choices: Mapping[str, object]) -> Rule:
    lookup = _lookup(choices)
    items = pl.col(prep)
    value = items.list.eval(pl.element().replace_strict(lookup, default=None, return_dtype=pl.String))
    unknown = items.list.eval(pl.element().filter(~pl.element().is_in(list(lookup)))).list.join("、")
    message = pl.format(f"「{{}}」不是允许的值，可选（可多选）：{'、'.join(choices)}", unknown)
    return Rule({prep: split_list(raw)}, value.list.unique(maintain_order=True), _when(unknown != "", message))


def id_number_rule(raw: pl.Expr, parsed: pl.Expr, prep: str) -> Rule:
    """GB 11643, vectorised: the same rules and messages as :func:`idnumber.parse_id_number`."""
    number = raw.str.to_uppercase()
    total = pl.sum_horizontal(number.str.slice(i, 1).cast(pl.Int64, strict=False) * w for i, w in enumerate(WEIGHTS))
    expected = (total % 11).replace_strict(dict(enumerate(CHECK_CHARS)), default=None, return_dtype=pl.String)
    birth = id_birth_date(parsed)
    error = (
        pl.when(parsed.is_null())
        .then(None)
        .when(parsed.str.contains("E+", literal=True))
        .then(pl.lit("身份证号被 Excel 存成了数字（末几位已丢失），请把该列设为文本格式后重新填写"))
        .when(parsed.str.len_chars() != 18)
        .then(pl.format("身份证号应为 18 位，实际 {} 位", parsed.str.len_chars()))
        .when(~parsed.str.contains(r"^\d{17}[\dX]$"))
        .then(pl.lit("身份证号前 17 位须为数字，末位为数字或 X"))
        .when(parsed.str.slice(17, 1) != pl.col(prep))
        .then(pl.format("身份证号校验码错误（末位应为 {}）", pl.col(prep)))
        .when(birth.is_null() | (birth < pl.lit(dt.date(1880, 1, 1))))
        .then(pl.format("身份证号中的出生日期无效：{}", parsed.str.slice(6, 8)))
    )
    return Rule({prep: expected}, number, error)


def id_birth_date(number: pl.Expr) -> pl.Expr:
    return number.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)


def id_sex(number: pl.Expr) -> pl.Expr:
    """Odd 17th digit = M (男), even = F (女)."""
    odd = number.str.slice(16, 1).cast(pl.Int64, strict=False) % 2 == 1
    return pl.when(odd).then(pl.lit("M")).otherwise(pl.lit("F"))
