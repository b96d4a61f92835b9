"""The stays document of POLICY.md §7: parse and validate, collecting every error before anything is settled.

A document is ``{"stays": [...]}`` (decoded YAML/JSON) or CSV text whose header names the same fields.
Each error names the stay (its ``id``, or its position when the id itself is unusable), the field in
Chinese and its English key in brackets — ``住院 S1，目录内费用 [in_catalogue]：不得大于总费用 …``; CSV
errors also give the line (header = 第 1 行).

Decisions where POLICY.md is silent: an empty list of stays is invalid (as an empty ``households`` is in
§1); ``id`` and ``person`` are non-empty strings (a bare YAML number is a wrong type, as in §1); ``region``
is a quoted county code; a CSV boolean is exactly ``true`` or ``false``; a stay whose discharge date has
no parameter value (any line, e.g. before 2016) is reported here, as invalid input, by the caller that
resolves the parameters (:func:`jingzhun.policy.medical.settle.settle`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from jingzhun.policy import regions
from jingzhun.policy.money import decimals, fen_to_str, parse_decimal

FIELDS: dict[str, str] = {
    "id": "住院编号",
    "person": "患者编号",
    "registered_poor": "建档立卡贫困人口",
    "dibao_or_tekun": "低保或特困对象",
    "region": "行政区划",
    "level": "医院级别",
    "admitted": "入院日期",
    "discharged": "出院日期",
    "total": "总费用",
    "in_catalogue": "目录内费用",
}
LEVELS: dict[str, str] = {"county": "县级", "city": "市级", "province": "省级", "outside": "省外"}


class StaysError(ValueError):
    """Every problem in a stays document; nothing is settled."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class Stay:
    """One inpatient stay; money in integer fen (inputs have at most two decimals)."""

    id: str
    person: str
    registered_poor: bool
    dibao_or_tekun: bool
    region: str
    level: str
    admitted: dt.date
    discharged: dt.date
    total: int
    in_catalogue: int
    where: str  # how error messages name this stay: "住院 S1" or "第 3 行，住院 S1"


Check = Callable[[Stay], "str | None"]


def parse_stays(raw: Any, check: Check | None = None) -> list[Stay]:
    """Validate a decoded ``{"stays": [...]}`` document; raise :class:`StaysError` listing every problem.

    ``check`` adds a message for a stay whose fields are valid but which cannot be settled (no parameter
    value at its discharge date), so those are listed together with the field errors.
    """
    if not isinstance(raw, dict):
        raise StaysError(["文档应为映射，包含住院列表 [stays]"])
    errors = [f"未知字段 [{key}]：未知字段 (unknown field)" for key in raw if key != "stays"]
    items = raw.get("stays")
    if not isinstance(items, list) or not items:
        errors.append("住院列表 [stays]：应为非空列表")
        items = []
    return _check_all([(f"第 {n} 条", item) for n, item in enumerate(items, start=1)], errors, check)


def parse_csv(text: str, check: Check | None = None) -> list[Stay]:
    """Validate CSV text whose header is the stay fields (any order); booleans ``true``/``false``."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        raise StaysError(["CSV 文件为空：第 1 行应为表头（字段名）[stays]"])
    header = [cell.strip() for cell in rows[0]]
    errors = [f"第 1 行 [{name}]：未知列 (unknown field)" for name in header if name not in FIELDS]
    errors += [f"第 1 行 [{key}]：缺少列 {label} (missing field)" for key, label in FIELDS.items() if key not in header]
    errors += [
        f"第 1 行 [{name}]：列名重复 (duplicate column)" for name in sorted(set(header)) if header.count(name) > 1
    ]
    if errors:
        raise StaysError(errors)
    if len(rows) == 1:
        raise StaysError(["住院列表 [stays]：CSV 文件没有数据行"])
    items: list[tuple[str, Any]] = []
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            errors.append(f"第 {n} 行：应有 {len(header)} 列，得到 {len(row)} 列")
            continue
        record: dict[str, Any] = {}
        for name, cell in zip(header, row, strict=True):
            value: Any = cell.strip()
            if value == "":
                value = None
            elif name in ("registered_poor", "dibao_or_tekun"):
                value = {"true": True, "false": False}.get(value, value)
            record[name] = value
        items.append((f"第 {n} 行", record))
    return _check_all(items, errors, check, csv_rows=True)


def _check_all(
    items: list[tuple[str, Any]], errors: list[str], check: Check | None, csv_rows: bool = False
) -> list[Stay]:
    stays: list[Stay] = []
    seen: set[str] = set()
    for position, item in items:
        stay = _quick(item, position, csv_rows)
        if stay is None or stay.id in seen:  # anything unusual goes the long way, which names each problem
            stay = _stay(item, position, csv_rows, seen, errors)
            if stay is None:
                continue
        else:
            seen.add(stay.id)
        problem = check(stay) if check is not None else None
        if problem is not None:
            errors.append(problem)
        stays.append(stay)
    if errors:
        raise StaysError(errors)
    return stays


_KEYS = frozenset(FIELDS)
_COUNTIES = frozenset(regions.COUNTIES)
_MONEY = re.compile(r"(\d+)(?:\.(\d\d?))?")


def _quick(item: Any, position: str, csv_rows: bool) -> Stay | None:
    """A well-formed stay, checked in the fewest steps; None sends it through :func:`_stay`."""
    if type(item) is not dict or item.keys() != _KEYS:
        return None
    sid, person, poor, dibao = item["id"], item["person"], item["registered_poor"], item["dibao_or_tekun"]
    region, level = item["region"], item["level"]
    if type(sid) is not str or type(person) is not str or not sid.strip() or not person.strip():
        return None
    if type(poor) is not bool or type(dibao) is not bool or region not in _COUNTIES or level not in LEVELS:
        return None
    admitted, discharged = _quick_date(item["admitted"]), _quick_date(item["discharged"])
    total, in_catalogue = _quick_fen(item["total"]), _quick_fen(item["in_catalogue"])
    if admitted is None or discharged is None or total is None or in_catalogue is None:
        return None
    if discharged < admitted or total == 0 or in_catalogue > total:
        return None
    where = f"{position}，住院 {sid}" if csv_rows else f"住院 {sid}"
    return Stay(sid, person, poor, dibao, region, level, admitted, discharged, total, in_catalogue, where)


def _quick_date(raw: Any) -> dt.date | None:
    if type(raw) is dt.date:
        return raw
    if type(raw) is str and len(raw) == 10:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            return None
    return None


def _quick_fen(raw: Any) -> int | None:
    if type(raw) is int:
        return raw * 100 if raw >= 0 else None
    if type(raw) is not str:
        return None
    match = _MONEY.fullmatch(raw)
    if match is None:
        return None
    whole, cents = match.groups()
    return int(whole) * 100 + (int(cents.ljust(2, "0")) if cents else 0)


def _stay(item: Any, position: str, csv_rows: bool, seen: set[str], errors: list[str]) -> Stay | None:
    if not isinstance(item, dict):
        errors.append(f"住院（{position}）：应为映射（字段: 值），得到 {item!r}")
        return None
    raw_id = item.get("id")
    sid = raw_id if isinstance(raw_id, str) and raw_id.strip() else None
    who = f"住院 {sid}" if sid is not None else f"住院（{position}）"
    where = f"{position}，{who}" if csv_rows and sid is not None else who
    start = len(errors)

    def fail(key: str, message: str) -> None:
        errors.append(f"{where}，{FIELDS.get(key, '未知字段')} [{key}]：{message}")

    for key in item:
        if key not in FIELDS:
            fail(str(key), "未知字段 (unknown field)")
    for key in FIELDS:
        if key not in item:
            fail(key, "缺少字段 (missing field)")
    for key in FIELDS:
        if key in item and item[key] is None:
            fail(key, "不得为空 (empty)")
    present = {key: item[key] for key in FIELDS if item.get(key) is not None}
    if "id" in present and sid is None:
        fail("id", f"应为非空字符串，得到 {item['id']!r}")
    elif sid is not None:
        if sid in seen:
            fail("id", "住院编号重复 (duplicate id)")
        seen.add(sid)
    person = present.get("person")
    if "person" in present and not (isinstance(person, str) and person.strip()):
        fail("person", f"应为非空字符串，得到 {person!r}")
    flags = {}
    for key in ("registered_poor", "dibao_or_tekun"):
        flags[key] = present.get(key)
        if key in present and not isinstance(flags[key], bool):
            fail(key, f"应为 true 或 false，得到 {flags[key]!r}")
    region = present.get("region")
    if "region" in present and not (isinstance(region, str) and region in regions.COUNTIES):
        fail("region", f"未知区划代码（须为县级 GB/T 2260 代码字符串）: {region!r}")
    level = present.get("level")
    if "level" in present and level not in LEVELS:
        fail("level", f"取值须为 {' | '.join(LEVELS)}，得到 {level!r}")
    admitted = _date(present["admitted"], partial(fail, "admitted")) if "admitted" in present else None
    discharged = _date(present["discharged"], partial(fail, "discharged")) if "discharged" in present else None
    if admitted is not None and discharged is not None and discharged < admitted:
        fail("discharged", f"出院日期 {discharged.isoformat()} 早于入院日期 {admitted.isoformat()}")
    total = _fen(present["total"], partial(fail, "total")) if "total" in present else None
    in_catalogue = _fen(present["in_catalogue"], partial(fail, "in_catalogue")) if "in_catalogue" in present else None
    if total is not None and total == 0:
        fail("total", "总费用须大于 0")
    if total is not None and in_catalogue is not None and in_catalogue > total:
        fail("in_catalogue", f"目录内费用 {_yuan(in_catalogue)} 大于总费用 {_yuan(total)}（须 ≤ total）")
    if len(errors) > start:
        return None
    assert sid is not None and admitted is not None and discharged is not None
    assert total is not None and in_catalogue is not None
    return Stay(
        id=sid,
        person=str(person),
        registered_poor=bool(flags["registered_poor"]),
        dibao_or_tekun=bool(flags["dibao_or_tekun"]),
        region=str(region),
        level=str(level),
        admitted=admitted,
        discharged=discharged,
        total=total,
        in_catalogue=in_catalogue,
        where=where,
    )


def _date(raw: Any, fail: Callable[[str], None]) -> dt.date | None:
    if type(raw) is dt.date:
        return raw
    if type(raw) is str and len(raw) == 10:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    fail(f"不是有效日期 YYYY-MM-DD: {raw!r}")
    return None


def _fen(raw: Any, fail: Callable[[str], None]) -> int | None:
    """Decimal string with at most two places, or an integer; never a float; never negative."""
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        kind = "浮点数" if isinstance(raw, float) else type(raw).__name__
        fail(f'金额应写成字符串（元），如 "10500.00"，不得用{kind}：{raw!r}')
        return None
    text = str(raw).strip()
    try:
        value = parse_decimal(text)
    except ValueError:
        fail(f"不是有效金额: {text!r}")
        return None
    if value < 0:
        fail(f"金额不得为负数: {text}")
        return None
    if decimals(text) > 2:
        fail(f"金额最多两位小数（分）: {text}")
        return None
    return int(value * 100)


def _yuan(fen: int) -> str:
    return fen_to_str(fen)
