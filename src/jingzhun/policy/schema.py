"""The batch path's input check: the household and person frames are held to the household document's
rules (POLICY.md §1) before anything is computed — same field labels, enums, ranges and limits
(``document.HOUSEHOLD_FIELDS`` / ``MEMBER_FIELDS``, ``document_checks.ENUMS``, ``MAX_HOUSEHOLD_SIZE``,
``EARLIEST_DATE``) and the same message form ``户 H1，成员 P1，出生日期 [birth_date]：…``.

Checked, vectorised: column types (integer fen, never a float column silently cast), non-empty unique
household and person ids, known regions and exact enum values, non-negative income, disability grade 1–4
or null, no null flags, every person's household present, every household with 1 to
``max_household_size`` persons, birth dates from 1900-01-01 to the end of the computation month. Also the
side files of ``--cpi`` / ``--history``, read and checked as the document's ``cpi`` / ``history``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from jingzhun.policy import regions
from jingzhun.policy.document import (
    HOUSEHOLD_FIELDS,
    MAX_HOUSEHOLD_SIZE,
    MAX_ID_LENGTH,
    MEMBER_FIELDS,
    Cpi,
    _cpi,
    _history,
)
from jingzhun.policy.document_checks import EARLIEST_DATE, ENUMS, Checker, shown, where

MAX_LISTED = 200

_INTEGER = (pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64)
_BOOLS = (
    "disability_card_gen2",
    "needs_long_term_care",
    "disabled_elder_certified",
    "serious_illness",
    "late_stage_major_disease",
    "income_source",
    "capable_supporter",
)
_MEMBER_ENUMS = ("self_care", "labour", "student", "care_setting")


def max_household_size() -> int:
    """The setting ``JINGZHUN_MAX_HOUSEHOLD_SIZE`` (default 50)."""
    text = os.environ.get("JINGZHUN_MAX_HOUSEHOLD_SIZE", "")
    return int(text) if text.isdigit() and int(text) > 0 else MAX_HOUSEHOLD_SIZE


class _Errors:
    """Row checks are collected, then run together: one ``select`` per frame answers "does any row fail
    this check?" for every check at once (in parallel, no row copied); only a failing check then filters
    its frame for the rows to list, in the order the checks were made."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.more = 0
        self.pending: list[tuple[pl.DataFrame, pl.Expr, str, str, Any, bool]] = []

    def add(self, household: str | None, member: str | None, key: str, label: str, message: str) -> None:
        if len(self.lines) < MAX_LISTED:
            self.lines.append(f"{where(household, member, key, label)}：{message}")
        else:
            self.more += 1

    def rows(self, frame: pl.DataFrame, mask: pl.Expr, key: str, label: str, message: Any, member: bool) -> None:
        """One error per row of ``frame`` where ``mask`` holds (null counts as failing); ``message(value)``
        words it. Checked at :meth:`run`."""
        self.pending.append((frame, mask.fill_null(True), key, label, message, member))

    def run(self) -> None:
        by_frame: dict[int, tuple[pl.DataFrame, list[int]]] = {}
        for i, (frame, *_) in enumerate(self.pending):
            by_frame.setdefault(id(frame), (frame, []))[1].append(i)
        failing: dict[int, bool] = {}
        for frame, indexes in by_frame.values():
            found = frame.select(*(self.pending[i][1].any().alias(str(i)) for i in indexes)).row(0)
            failing.update(zip(indexes, (bool(v) for v in found), strict=True))
        for i, (frame, mask, key, label, message, member) in enumerate(self.pending):
            if failing[i]:
                self._list(frame, mask, key, label, message, member)
        self.pending = []

    def _list(self, frame: pl.DataFrame, mask: pl.Expr, key: str, label: str, message: Any, member: bool) -> None:
        bad = frame.filter(mask)
        hid_col = "household_id" if member else "id"
        for row in bad.head(MAX_LISTED).iter_rows(named=True):
            hid = _label(row.get(hid_col))
            mid = _label(row.get("id")) if member else None
            self.add(hid, mid, key, label, message(row.get(key)))
        self.more += max(0, bad.height - MAX_LISTED)

    def result(self) -> list[str]:
        self.run()
        return self.lines + ([f"另有 {self.more:,} 处错误未列出"] if self.more else [])


def _label(value: Any) -> str:
    return "（空）" if value is None or value == "" else shown(value, 64).strip("'")


def check_frames(
    households: pl.DataFrame, persons: pl.DataFrame, month_end: dt.date, *, max_size: int | None = None
) -> list[str]:
    """Every problem of the two frames (at most ``MAX_LISTED`` listed, then a count); ``[]`` when valid."""
    from jingzhun.policy.engine_batch import HOUSEHOLD_SCHEMA, PERSON_SCHEMA

    size_limit = max_household_size() if max_size is None else max_size
    e = _Errors()
    for what, frame, schema, labels in (
        ("households", households, HOUSEHOLD_SCHEMA, HOUSEHOLD_FIELDS),
        ("persons", persons, PERSON_SCHEMA, {**MEMBER_FIELDS, "household_id": "户编号"}),
    ):
        for column, dtype in schema.items():
            label = labels.get(column, labels.get(column.removesuffix("_fen"), column))
            if column not in frame.columns:
                e.add(None, None, column, label, f"{what} 缺少列 (missing column)")
            elif not _type_ok(frame.schema[column], dtype):
                e.add(None, None, column, label, f"{what} 列类型应为 {dtype}，得到 {frame.schema[column]}")
        for column in frame.columns:
            if column not in schema:
                e.add(None, None, column, "未知列", f"{what} 未知列 (unknown column)")
    if e.lines:
        return e.result()
    h, p = households, persons
    _ids(e, h, "id", HOUSEHOLD_FIELDS["id"], member=False)
    _ids(e, p, "id", MEMBER_FIELDS["id"], member=True)
    e.rows(
        h,
        ~pl.col("region").is_in(list(regions.COUNTIES)),
        "region",
        HOUSEHOLD_FIELDS["region"],
        lambda v: f"未知区划代码（须为县级 GB/T 2260 代码字符串）: {shown(v)}",
        False,
    )
    _enum(e, h, "area", HOUSEHOLD_FIELDS["area"], member=False)
    e.rows(
        h,
        pl.col("registered_poor").is_null(),
        "registered_poor",
        HOUSEHOLD_FIELDS["registered_poor"],
        lambda v: "应为 true 或 false，得到 null",
        False,
    )
    e.rows(
        h,
        pl.col("annual_income_fen") < 0,
        "annual_income_fen",
        HOUSEHOLD_FIELDS["annual_income"],
        lambda v: f"金额不得为负数: {v} 分",
        False,
    )
    allowed = ENUMS["disqualified"]
    e.rows(
        h,
        pl.col("disqualified").is_null() | ~pl.col("disqualified").list.eval(pl.element().is_in(allowed)).list.all(),
        "disqualified",
        HOUSEHOLD_FIELDS["disqualified"],
        lambda v: f"取值须为 {' | '.join(allowed)} 组成的列表，得到 {shown(v)}",
        False,
    )
    e.rows(
        p,
        pl.col("birth_date") < EARLIEST_DATE,
        "birth_date",
        MEMBER_FIELDS["birth_date"],
        lambda v: f"日期早于 {EARLIEST_DATE.isoformat()}: {v}",
        True,
    )
    e.rows(
        p,
        pl.col("birth_date") > month_end,
        "birth_date",
        MEMBER_FIELDS["birth_date"],
        lambda v: f"出生日期晚于计算月份: {v}",
        True,
    )
    e.rows(
        p,
        pl.col("disability_grade").is_not_null() & ~pl.col("disability_grade").is_between(1, 4),
        "disability_grade",
        MEMBER_FIELDS["disability_grade"],
        lambda v: f"应为 1–4 或 null，得到 {v}",
        True,
    )
    for column in _BOOLS:
        e.rows(
            p, pl.col(column).is_null(), column, MEMBER_FIELDS[column], lambda v: "应为 true 或 false，得到 null", True
        )
    for column in _MEMBER_ENUMS:
        _enum(e, p, column, MEMBER_FIELDS[column], member=True)
    sizes = _grouped_sizes(h, p)
    if sizes is None:  # persons not grouped in the households' order: hash the household ids
        e.rows(
            p,
            ~pl.col("household_id").is_in(h["id"].implode()),
            "household_id",
            "户编号",
            lambda v: f"该人员的户不在户文件中: {shown(v)}",
            True,
        )
        sizes = h.select("id").join(p.group_by("household_id").len(), left_on="id", right_on="household_id", how="left")
    e.rows(sizes, pl.col("len").is_null(), "members", HOUSEHOLD_FIELDS["members"], lambda v: "该户没有成员", False)
    e.rows(
        sizes,
        pl.col("len") > size_limit,
        "members",
        HOUSEHOLD_FIELDS["members"],
        lambda v: f"家庭成员超过上限 {size_limit} 人",
        False,
    )
    return e.result()


def _grouped_sizes(h: pl.DataFrame, p: pl.DataFrame) -> pl.DataFrame | None:
    """``id, len`` per household when the persons come grouped by household in the households' order (as
    the registry exports them): every person's household then exists and the run lengths are the sizes —
    no hashing. ``None`` otherwise."""
    import numpy as np

    if p.is_empty():
        return None
    runs = p["household_id"].rle_id().to_numpy()
    if runs[-1] + 1 != h.height:
        return None
    starts = np.flatnonzero(np.diff(runs, prepend=-1))
    if not (p["household_id"].gather(starts) == h["id"]).all():
        return None
    return pl.DataFrame({"id": h["id"], "len": np.bincount(runs, minlength=h.height).astype(np.uint32)})


def _type_ok(actual: Any, wanted: Any) -> bool:
    if wanted in (pl.Int64, pl.Int8):
        return actual in _INTEGER  # never a float column cast to whole fen or grades
    if wanted == pl.String:
        return actual in (pl.String, pl.Categorical) or isinstance(actual, pl.Enum)
    if wanted == pl.List(pl.String):
        return bool(actual == pl.List(pl.String))
    return bool(actual == wanted)


def _ids(e: _Errors, frame: pl.DataFrame, key: str, label: str, *, member: bool) -> None:
    e.rows(
        frame,
        pl.col(key).is_null() | (pl.col(key).str.strip_chars() == ""),
        key,
        label,
        lambda v: f"应为非空字符串，得到 {shown(v)}",
        member,
    )
    e.rows(
        frame,
        pl.col(key).str.len_chars() > MAX_ID_LENGTH,
        key,
        label,
        lambda v: f"编号过长（最多 {MAX_ID_LENGTH} 个字符）",
        member,
    )
    if not _distinct(frame[key]):
        duplicated = pl.col(key).is_duplicated() & pl.col(key).is_not_null()
        e.rows(frame, duplicated, key, label, lambda v: "编号重复 (duplicate id)", member)


def _distinct(ids: pl.Series) -> bool:
    """All ids different. Ids in strictly increasing order (as the registry exports them) are one
    comparison of neighbours (≈ 0.05 s for 3 M); otherwise one hash pass (≈ 1–2 s for 3 M)."""
    n = ids.len()
    if n < 2:
        return True
    if ids.null_count() == 0 and bool((ids.slice(1) > ids.slice(0, n - 1)).all()):
        return True
    return bool(ids.n_unique() == n)


def _enum(e: _Errors, frame: pl.DataFrame, key: str, label: str, *, member: bool) -> None:
    allowed = ENUMS[key]
    e.rows(
        frame,
        ~pl.any_horizontal(*(pl.col(key).cast(pl.String) == value for value in allowed)),  # 3× faster than is_in
        key,
        label,
        lambda v: f"取值须为 {' | '.join(allowed)}，得到 {shown(v)}",
        member,
    )


def read_side(
    cpi: Path | None, history: Path | None, person_ids: pl.Series
) -> tuple[dict[str, Cpi], dict[str, Any], list[str]]:
    """The ``--cpi`` and ``--history`` files (YAML or JSON, as the document's ``cpi`` and ``history``);
    history's person ids must be among ``person_ids`` (looked up in Polars, not as a Python set of all)."""
    from jingzhun.policy.loader import LoadError, load_text

    c = Checker()
    raws: dict[str, Any] = {}
    for key, path in (("cpi", cpi), ("history", history)):
        if path is None:
            continue
        try:
            raws[key] = load_text(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            c.errors.append(f"无法读取 [--{key}] 文件: {path}: {exc}")
        except LoadError as exc:
            c.errors.extend(f"[--{key}] {error}" for error in exc.errors)
    cpi_values = _cpi(c, raws.get("cpi"))
    raw_history = raws.get("history")
    keys = [str(k) for k in raw_history] if isinstance(raw_history, dict) else []
    members = set(person_ids.filter(person_ids.is_in(keys)).to_list()) if keys else set()
    history_values: Mapping[str, frozenset[str]] = _history(c, raws.get("history"), members)
    return cpi_values, dict(history_values), c.errors


def read_frame(path: Path) -> pl.DataFrame:
    """A Parquet file as a frame whose every column is one contiguous chunk, read column by column.

    A Parquet reader returns one chunk per row group. The evaluator adds single-chunk columns (each
    person's household row, lookup row, …) and Polars then aligns the frame by copying every column into
    one chunk — a second copy of the ≈ 3 M persons (≈ 270 MiB) alive beside the first. Rechunking the
    whole frame after reading costs the same transient copy; one column at a time only that column's."""
    names = pl.read_parquet_schema(path)
    return pl.DataFrame([pl.read_parquet(path, columns=[name]).to_series().rechunk() for name in names])
