"""Field checks for the household document: each failure a Chinese message naming household, member and
field, with the English key in brackets — ``户 H1，成员 P1，出生日期 [birth_date]：…``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from jingzhun.policy.money import decimals, parse_decimal

ENUMS: dict[str, tuple[str, ...]] = {
    "area": ("rural", "urban"),
    "disqualified": ("vehicle", "business", "civil_servant", "commercial_housing", "large_deposit"),
    "self_care": ("full", "partial", "none"),
    "labour": ("full", "partial", "none"),
    "student": ("none", "preschool", "compulsory", "senior", "college"),
    "care_setting": ("home", "institution"),
    "kind": ("emergency", "expense"),
}


EARLIEST_DATE = dt.date(1900, 1, 1)
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", re.ASCII)


def shown(raw: Any, limit: int = 40) -> str:
    """A bad value as the message shows it: its ``repr``, cut to ``limit`` characters (a 10 MB value is
    not echoed whole)."""
    text = repr(raw)
    return text if len(text) <= limit else f"{text[:limit]}…（共 {len(text):,} 个字符）"


def where(household: str | None, member: str | None, key: str, label: str) -> str:
    parts = []
    if household is not None:
        parts.append(f"户 {household}")
    if member is not None:
        parts.append(f"成员 {member}")
    parts.append(f"{label} [{key}]")
    return "，".join(parts)


class Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, household: str | None, member: str | None, key: str, label: str, message: str) -> None:
        self.errors.append(f"{where(household, member, key, label)}：{message}")

    def mapping(self, raw: Any, fields: Mapping[str, str], hid: str | None, mid: str | None, what: str) -> bool:
        if not isinstance(raw, dict):
            self.errors.append(f"{what}：应为映射（字段: 值）")
            return False
        if raw.keys() == fields.keys():
            return True
        for key in raw:
            if key not in fields:
                self.fail(hid, mid, str(key), "未知字段", "未知字段 (unknown field)")
        for key, label in fields.items():
            if key not in raw:
                self.fail(hid, mid, key, label, "缺少字段 (missing field)")
        return True

    def text(self, raw: Any, hid: str | None, mid: str | None, key: str, label: str) -> str | None:
        if isinstance(raw, str) and raw.strip():
            return raw
        self.fail(hid, mid, key, label, f"应为非空字符串，得到 {shown(raw)}")
        return None

    def boolean(self, raw: Any, hid: str | None, mid: str | None, key: str, label: str) -> bool:
        if isinstance(raw, bool):
            return raw
        self.fail(hid, mid, key, label, f"应为 true 或 false，得到 {shown(raw)}")
        return False

    def enum(self, raw: Any, hid: str | None, mid: str | None, key: str, label: str) -> str:
        allowed = ENUMS[key]
        if isinstance(raw, str) and raw in allowed:
            return raw
        self.fail(hid, mid, key, label, f"取值须为 {' | '.join(allowed)}，得到 {shown(raw)}")
        return allowed[0]

    def money(self, raw: Any, hid: str | None, mid: str | None, key: str, label: str) -> Fraction:
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            self.fail(hid, mid, key, label, f'金额应写成字符串（元），如 "1200"，得到 {shown(raw)}')
            return Fraction(0)
        text = str(raw)
        try:
            value = parse_decimal(text)
        except ValueError:
            self.fail(hid, mid, key, label, f"不是有效金额: {shown(text)}")
            return Fraction(0)
        if value < 0:
            self.fail(hid, mid, key, label, f"金额不得为负数: {shown(text)}")
        elif decimals(text) > 2:
            self.fail(hid, mid, key, label, f"金额最多两位小数（分）: {shown(text)}")
        return value

    def date(self, raw: Any, hid: str | None, mid: str | None, key: str, label: str) -> dt.date:
        day: dt.date | None = None
        if type(raw) is dt.date:
            day = raw
        elif type(raw) is str and _ISO_DATE.match(raw):
            try:
                day = dt.date.fromisoformat(raw)
            except ValueError:
                day = None
        if day is None:
            self.fail(hid, mid, key, label, f"不是有效日期 YYYY-MM-DD: {shown(raw)}")
            return EARLIEST_DATE
        if day < EARLIEST_DATE:
            self.fail(hid, mid, key, label, f"日期早于 {EARLIEST_DATE.isoformat()}: {day.isoformat()}")
        return day
