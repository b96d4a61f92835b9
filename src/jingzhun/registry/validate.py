"""Validate a household-template sheet (columns.HEADERS) column-wise and split it into typed frames.

Rules (each has a test in tests/registry/test_import_errors.py):

* every header of the template present, none unknown;
* each cell parses for its column (:mod:`jingzhun.registry.parse`); required person columns on every row,
  required household columns on the head's row (户主行), 户编号 on every row;
* each household has exactly one 户主; household columns filled on a member row equal the head's row;
* 身份证号 unique in the file and not yet in the database; it agrees with 出生日期 and 性别;
* a system 户编号 (16 digits) not yet in the database (any other is replaced on import: numbering.py);
  村代码 an existing village inside the actor's region;
* a 建档立卡 household (建档立卡年份 filled) has a 户状态.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from jingzhun.core.actions import Actor
from jingzhun.registry import columns as c
from jingzhun.registry.models import Household, Person, Region
from jingzhun.registry.parse import id_birth_date, id_sex, rule_for
from jingzhun.registry.report import RowError
from jingzhun.registry.sheets import ROW, Sheet

LOOKUP_CHUNK = 5_000  # IN-list size for the database look-ups: well inside SQLite's and PostgreSQL's limits
SEX_LABEL = {v: k for k, v in c.SEX.items()}
HEAD = "head"
NOT_THE_TEMPLATE_SHARE = 4  # fewer than a quarter of the template's headers: another kind of file, one line
ELSEWHERE = "身份证号已在其他地区登记，不能重复登记，请联系县级核实"


@dataclass(frozen=True)
class ParsedRegistry:
    """Typed, validated rows: one per household (from the head's row) and one per person (with income)."""

    households: pl.DataFrame
    persons: pl.DataFrame


def _max_len(key: str) -> int | None:
    """The database column's max_length, so a too-long cell is a row error, not a PostgreSQL crash."""
    for model in (Household, Person):
        names = {f.name for f in model._meta.get_fields()}
        if key in names:
            return getattr(model._meta.get_field(key), "max_length", None)
    return None


def check_headers(headers: Iterable[str]) -> list[RowError]:
    """One error per missing or unknown column; one line in all when the file is not the template at all."""
    headers = list(headers)
    present = set(headers)
    matched = sum(1 for h in c.HEADERS if h in present)
    if matched < len(c.HEADERS) // NOT_THE_TEMPLATE_SHARE:
        required = "、".join(col.header for col in c.COLUMNS if col.required)
        message = (
            f"这不是户籍导入模板：第1行应为模板的 {len(c.HEADERS)} 个列名，本文件只有 {matched} 个相符。"
            f"模板的必填列为：{required}。请用导入模板（jingzhun registry template 生成，或向县级索取）填写后重新上传"
        )
        return [RowError(0, "", message)]
    errors = [
        RowError(1, h, f"缺少列「{h}」[{c.BY_HEADER[h].key}]")
        for h in c.HEADERS
        if h not in present and h not in c.OPTIONAL_HEADERS
    ]
    errors += [RowError(1, h, f"未知的列「{h}」，请使用导入模板的列名") for h in headers if h not in c.BY_HEADER]
    return errors


def validate_households(
    sheet: Sheet, *, actor: Actor, today: dt.date | None = None, update: bool = False
) -> tuple[ParsedRegistry, list[RowError]]:
    """Parse and check every row; return the typed frames (meaningful only when the error list is empty).

    ``update``: a county's annual update file (``update_import.py``), whose households and ID numbers are
    mostly registered already: those are compared, not refused."""
    errors = check_headers(sheet.headers)
    if errors:
        return ParsedRegistry(pl.DataFrame(), pl.DataFrame()), errors
    from jingzhun.core import workday

    today = today or workday.today()  # bounds (dates, years) follow the working month, not the calendar
    rules = {col.key: rule_for(col, max_len=_max_len(col.key), today=today) for col in c.COLUMNS}
    helpers = [name for rule in rules.values() for name in rule.prep]
    absent = [h for h in c.OPTIONAL_HEADERS if h not in sheet.frame.columns]  # an older file: empty = 未知
    frame = (
        sheet.frame.with_columns(pl.lit(None, pl.String).alias(h) for h in absent)
        .with_columns(*(expr.alias(name) for rule in rules.values() for name, expr in rule.prep.items()))
        .with_columns(*(rule.value.alias(key) for key, rule in rules.items()))
        .with_columns(*(rule.error.alias("!" + key) for key, rule in rules.items()))
        .drop(helpers)
    )
    frame = frame.with_columns((pl.col("relation") == HEAD).fill_null(False).alias("_head"))
    frame = _required(frame)
    frame = _against_id_number(frame)
    frame = _one_head_per_household(frame)
    frame = _household_columns_agree(frame)
    frame = _against_database(frame, actor, update=update)
    errors = _collect(frame)
    return ParsedRegistry(households=_households(frame), persons=_persons(frame)), errors


def _add_error(frame: pl.DataFrame, key: str, message: pl.Expr) -> pl.DataFrame:
    """Attach a message to column ``key`` where that cell has no error yet (the first problem is enough)."""
    return frame.with_columns(pl.coalesce(pl.col("!" + key), message).alias("!" + key))


def _required(frame: pl.DataFrame) -> pl.DataFrame:
    for col in (col for col in c.COLUMNS if col.required):
        on_this_row = pl.lit(True) if col.level == c.P or col.key == "household_no" else pl.col("_head")
        frame = _add_error(frame, col.key, pl.when(on_this_row & pl.col(col.header).is_null()).then(pl.lit("必填")))
    registered_without_status = (
        pl.col("_head") & pl.col("registered_year").is_not_null() & pl.col(c.BY_KEY["status"].header).is_null()
    )
    return _add_error(
        frame, "status", pl.when(registered_without_status).then(pl.lit("建档立卡户（填了建档立卡年份）须填写户状态"))
    )


def _against_id_number(frame: pl.DataFrame) -> pl.DataFrame:
    number = pl.col("id_number")
    valid = number.is_not_null() & pl.col("!id_number").is_null()
    birth, sex = id_birth_date(number), id_sex(number)
    wrong_birth = valid & pl.col("birth_date").is_not_null() & (birth != pl.col("birth_date"))
    frame = _add_error(
        frame,
        "birth_date",
        pl.when(wrong_birth).then(pl.format("与身份证号不一致（身份证号中为 {}）", birth.dt.to_string("%Y-%m-%d"))),
    )
    wrong_sex = valid & pl.col("sex").is_not_null() & (sex != pl.col("sex"))
    sex_label = sex.replace_strict(SEX_LABEL, return_dtype=pl.String)
    frame = _add_error(
        frame, "sex", pl.when(wrong_sex).then(pl.format("与身份证号不一致（身份证号中为 {}）", sex_label))
    )
    first_row = pl.col(ROW).min().over("id_number")
    duplicate = number.is_not_null() & (pl.col(ROW) != first_row)
    return _add_error(frame, "id_number", pl.when(duplicate).then(pl.format("与第{}行的身份证号重复", first_row)))


def _one_head_per_household(frame: pl.DataFrame) -> pl.DataFrame:
    hh = pl.col("household_no")
    heads = pl.col("_head").sum().over(hh)
    first_row = pl.col(ROW) == pl.col(ROW).min().over(hh)
    first_head = pl.col(ROW) == pl.col(ROW).filter(pl.col("_head")).min().over(hh)
    missing = hh.is_not_null() & (heads == 0) & first_row
    extra = hh.is_not_null() & (heads > 1) & pl.col("_head") & ~first_head
    return _add_error(
        frame,
        "relation",
        pl.when(missing)
        .then(pl.format("户编号 {} 没有户主（每户须有且只有一名户主）", hh))
        .when(extra)
        .then(pl.format("户编号 {} 有 {} 名户主（每户只能有一名户主）", hh, heads)),
    )


def _canonical(col: c.Column) -> pl.Expr:
    """A comparable form of a parsed household cell: a multi-value cell as a bit set (order does not matter)."""
    value = pl.col(col.key)
    if col.kind != "multi_enum":
        return value
    bits = {str(code): 1 << i for i, code in enumerate(col.choices.values())}
    return value.list.eval(pl.element().replace_strict(bits, default=0, return_dtype=pl.Int64)).list.sum()


def _household_columns_agree(frame: pl.DataFrame) -> pl.DataFrame:
    """A member row may leave household cells blank; a filled one must equal the head's (户主行)."""
    others = [col for col in c.HOUSEHOLD_COLUMNS if col.key != "household_no"]
    heads = (
        frame.filter(pl.col("_head"))
        .select(
            "household_no",
            *(_canonical(col).alias("=" + col.key) for col in others),
            *(pl.col(col.header).alias("^" + col.key) for col in others),
            *(pl.col("!" + col.key).is_null().alias("~" + col.key) for col in others),
        )
        .unique("household_no", keep="first")
    )
    filled = pl.any_horizontal(pl.col(col.header).is_not_null() for col in others)
    members = frame.filter(~pl.col("_head") & filled).select(
        ROW,
        "household_no",
        *(col.header for col in others),
        *(col.key for col in others),
        *("!" + col.key for col in others),
    )
    members = members.join(heads, on="household_no", how="inner")

    def differs(col: c.Column) -> pl.Expr:
        both_parsed = pl.col(col.header).is_not_null() & pl.col("!" + col.key).is_null() & pl.col("~" + col.key)
        head_text = pl.col("^" + col.key).fill_null("（空）")
        return pl.when(both_parsed & _canonical(col).ne_missing(pl.col("=" + col.key))).then(
            pl.format("与户主行不一致（户主行为「{}」）", head_text)
        )

    found = members.select(ROW, *(differs(col).alias("?" + col.key) for col in others))
    found = found.filter(pl.any_horizontal(pl.exclude(ROW).is_not_null()))
    if found.height == 0:
        return frame
    frame = frame.join(found, on=ROW, how="left", maintain_order="left")
    frame = frame.with_columns(pl.coalesce("!" + col.key, "?" + col.key).alias("!" + col.key) for col in others)
    return frame.drop("?" + col.key for col in others)


def _existing(model: type[Household] | type[Person], field: str, values: list[str], extra: str) -> dict[str, str]:
    """{value: extra} for the values already in the database, in bounded IN-list chunks."""
    found: dict[str, str] = {}
    if not values or not model.objects.exists():
        return found
    for start in range(0, len(values), LOOKUP_CHUNK):
        chunk = values[start : start + LOOKUP_CHUNK]
        found.update(model.objects.filter(**{f"{field}__in": chunk}).values_list(field, extra))
    return found


def _against_database(frame: pl.DataFrame, actor: Actor, *, update: bool = False) -> pl.DataFrame:
    code = pl.col("village_code")
    villages = list(Region.objects.filter(level="village").values_list("code", flat=True))
    unknown = code.is_not_null() & pl.col("!village_code").is_null() & ~code.is_in(villages)
    frame = _add_error(
        frame,
        "village_code",
        pl.when(unknown & code.str.ends_with("000"))
        .then(pl.format("{} 是乡镇代码，请填写村代码", code))
        .when(unknown)
        .then(pl.format("村代码 {} 不存在（请先导入区域文件）", code))
        .when(code.is_not_null() & ~code.str.starts_with(actor.scope))
        .then(pl.format("无权导入村代码 {} 的数据（超出本账号的工作区域）", code)),
    )
    if update:
        return frame
    ids = frame.filter(pl.col("!id_number").is_null())["id_number"].drop_nulls().to_list()
    taken_ids = _existing(Person, "id_number", ids, "household__village__code")
    if taken_ids:
        # The 户编号 is named only when the household is inside the actor's region: elsewhere it would tell a
        # cadre which village a person of another region lives in (the household page is 404 for them).
        inside = [n for n, village in taken_ids.items() if village.startswith(actor.scope)]
        named = _existing(Person, "id_number", inside, "household__household_no")
        number_of = pl.col("id_number").replace_strict(named, default=None)
        frame = _add_error(
            frame,
            "id_number",
            pl.when(pl.col("id_number").is_in(list(named)))
            .then(pl.format("身份证号已登记在系统中（户编号 {}）", number_of))
            .when(pl.col("id_number").is_in(list(taken_ids)))
            .then(pl.lit(ELSEWHERE)),
        )
    # Only a system number (16 digits) is kept on import (numbering.py); a file's own "新-01" is replaced, so
    # it cannot clash with a household already registered.
    numbers = frame.filter(pl.col("household_no").str.contains(r"^[0-9]{16}$"))["household_no"].unique().to_list()
    taken_nos = _existing(Household, "household_no", numbers, "household_no")
    first_row = pl.col(ROW) == pl.col(ROW).min().over("household_no")
    return _add_error(
        frame,
        "household_no",
        pl.when(pl.col("household_no").is_in(list(taken_nos)) & first_row).then(
            pl.format("户编号 {} 已存在于系统中", pl.col("household_no"))
        ),
    )


def _collect(frame: pl.DataFrame) -> list[RowError]:
    order = {col.key: i for i, col in enumerate(c.COLUMNS)}
    errors = [pl.col("!" + col.key) for col in c.COLUMNS]
    long = (
        frame.select(ROW, *errors)
        .filter(pl.any_horizontal(e.is_not_null() for e in errors))
        .unpivot(index=ROW, variable_name="key", value_name="message")
        .drop_nulls("message")
        .with_columns(pl.col("key").str.strip_prefix("!"))
    )
    rows = sorted(long.iter_rows(), key=lambda r: (r[0], order[r[1]]))
    return [RowError(row, c.BY_KEY[key].header, f"{message} [{key}]") for row, key, message in rows]


def _households(frame: pl.DataFrame) -> pl.DataFrame:
    text = ("address", "bank_name", "bank_account", "cadre_name", "cadre_phone")
    return frame.filter(pl.col("_head")).select(
        ROW,
        *(pl.col(col.key) for col in c.HOUSEHOLD_COLUMNS if col.key not in text),
        *(pl.col(k).fill_null("") for k in text),
    )


def _persons(frame: pl.DataFrame) -> pl.DataFrame:
    flags = [col.key for col in c.PERSON_COLUMNS if col.kind == "bool"]  # empty = 否 (因病免学 too: none recorded)
    return frame.select(
        ROW,
        "household_no",
        *(
            pl.col(col.key)
            for col in c.PERSON_COLUMNS
            if col.kind != "bool"
            and col.key not in ("care_setting", "school", "disability_category")
            and not col.key.startswith("income_")
        ),
        *(pl.col(k).fill_null(False) for k in flags),
        pl.col("school").fill_null(""),
        pl.col("disability_category").fill_null(""),
        pl.col("care_setting").fill_null("home"),  # 空 = 分散供养 (columns.py)
        pl.col("income_year"),
        *(pl.col(k).fill_null(0) for k in c.INCOME_KEYS),
    )
