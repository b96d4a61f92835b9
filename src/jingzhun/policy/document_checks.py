"""Field checks for the household document: each failure a Chinese message naming household, member and
field, with the English key in brackets — ``户 H1，成员 P1，出生日期 [birth_date]：…``."""

from __future__ import annotations

import datetime as dt
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
        self.fail(hid, mid, key, label, f"应为非空字符串，得到 {raw!r}")
        return None

    def boolean(self, raw: Any, hid: str | None, mid: str | None, key: str, label: str) -> bool:
        if isinstance(raw, bool):
            return raw
        self.fail(hid, mid, key, label, f"应为 true 或 false，得到 {raw!r}")
        return False

    def enum(self, raw: Any, hid: str | None, mid: str | None, key: str, label: str) -> str:
        allowed = ENUMS[key]
        if isinstance(raw, str) and raw in allowed:
            return raw
        self.fail(hid, mid, key, label, f"取值须为 {' | '.join(allowed)}，得到 {raw!r}")
        return allowed[0]

    def money(self, raw: Any, hid: str | None, mid: str | None, key: str, label: str) -> Fraction:
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            self.fail(hid, mid, key, label, f'金额应写成字符串（元），如 "1200"，得到 {raw!r}')
            return Fraction(0)
        text = str(raw)
        try:
            value = parse_decimal(text)
        except ValueError:
            self.fail(hid, mid, key, label, f"不是有效金额: {text!r}")
            return Fraction(0)
        if value < 0:
            self.fail(hid, mid, key, label, f"金额不得为负数: {text}")
        elif decimals(text) > 2:
            self.fail(hid, mid, key, label, f"金额最多两位小数（分）: {text}")
        return value

    def date(self, raw: Any, hid: str | None, mid: str | None, key: str, label: str) -> dt.date:
        if type(raw) is dt.date:
            return raw
        if type(raw) is str and len(raw) == 10:
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                pass
        self.fail(hid, mid, key, label, f"不是有效日期 YYYY-MM-DD: {raw!r}")
        return dt.date(1900, 1, 1)
