"""Field checks shared by the pure exit and monitoring checks (POLICY.md §8's input rules).

The household document's :class:`~jingzhun.policy.document_checks.Checker` (messages naming household,
member and field in Chinese with the English key in brackets, money as decimal strings or integers,
never floats) plus what these documents add: enums given by the caller, whole counts, quantities as
hundredths, a member id used once in the whole document, a missing field reported once, and ``plain_*``
fast paths that accept only the common, valid values without a message (anything else goes through the
checks, which name it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, TypeGuard

from jingzhun.policy.document_checks import Checker, where
from jingzhun.policy.money import decimals, parse_decimal


class CheckInputError(ValueError):
    """Every problem in an exit or monitoring document (or its date); nothing is checked."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


MISSING = "缺少字段 (missing field)"


class FieldChecker(Checker):
    """Reports a missing field once: a later type check of the same absent value says nothing more."""

    def __init__(self) -> None:
        super().__init__()
        self._missing: set[str] = set()

    def fail(self, household: str | None, member: str | None, key: str, label: str, message: str) -> None:
        place = where(household, member, key, label)
        if message == MISSING:
            self._missing.add(place)
        elif place in self._missing:
            return
        super().fail(household, member, key, label, message)

    def mapping(
        self, raw: Any, fields: Mapping[str, str], hid: str | None, mid: str | None, what: str, prefix: str = ""
    ) -> bool:
        """Unknown and missing keys of a mapping, named ``prefix + key`` (``water.fetch_minutes``)."""
        if not isinstance(raw, dict):
            self.errors.append(f"{what}：应为映射（字段: 值），得到 {raw!r}")
            return False
        if raw.keys() == fields.keys():
            return True
        for key in raw:
            if key not in fields:
                self.fail(hid, mid, f"{prefix}{key}", "未知字段", "未知字段 (unknown field)")
        for key, label in fields.items():
            if key not in raw:
                self.fail(hid, mid, f"{prefix}{key}", label, MISSING)
        return True

    def choice(self, raw: Any, allowed: tuple[str, ...], hid: str | None, mid: str | None, key: str, label: str) -> str:
        if isinstance(raw, str) and raw in allowed:
            return raw
        self.fail(hid, mid, key, label, f"取值须为 {' | '.join(allowed)}，得到 {raw!r}")
        return allowed[0]

    def count(self, raw: Any, hid: str | None, mid: str | None, key: str, label: str, least: int = 0) -> int:
        """A whole number ≥ ``least`` (a JSON/YAML integer; ``true`` is not 1)."""
        if isinstance(raw, int) and not isinstance(raw, bool) and raw >= least:
            return raw
        self.fail(hid, mid, key, label, f"应为不小于 {least} 的整数，得到 {raw!r}")
        return least

    def fen(self, raw: Any, hid: str | None, mid: str | None, key: str, label: str) -> int:
        """Money as whole fen: a decimal string or an integer of yuan, at most two places, never negative."""
        plain = plain_hundredths(raw)
        if plain is not None:
            return plain
        return _whole(self.money(raw, hid, mid, key, label) * 100)

    def quantity(self, raw: Any, hid: str | None, mid: str | None, key: str, label: str) -> int:
        """A non-negative decimal (string or integer, at most two places, never a float), × 100."""
        plain = plain_hundredths(raw)
        if plain is not None:
            return plain
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            self.fail(hid, mid, key, label, f'数量应写成字符串或整数，如 "40"，得到 {raw!r}')
            return 0
        text = str(raw)
        try:
            value = parse_decimal(text)
        except ValueError:
            self.fail(hid, mid, key, label, f"不是有效数值: {text!r}")
            return 0
        if value < 0:
            self.fail(hid, mid, key, label, f"不得为负数: {text}")
        elif decimals(text) > 2:
            self.fail(hid, mid, key, label, f"最多两位小数: {text}")
        return _whole(value * 100)

    def member_id(self, raw: Any, hid: str, seen: dict[str, str]) -> str | None:
        """A member id, unique across the whole document (a person belongs to one household)."""
        mid = self.text(raw, hid, None, "id", "成员编号")
        if mid is None:
            return None
        if mid in seen:
            self.fail(hid, mid, "id", "成员编号", f"成员编号在文档中重复（已见于户 {seen[mid]}）(duplicate id)")
        else:
            seen[mid] = hid
        return mid


_PLAIN = re.compile(r"([0-9]+)(?:\.([0-9][0-9]?))?")


def plain_hundredths(raw: Any) -> int | None:
    """The common, valid case fast: ``"9000"``, ``"12.5"``, ``9000`` → hundredths; anything else ``None``."""
    if type(raw) is int:
        return raw * 100 if raw >= 0 else None
    if type(raw) is str:
        match = _PLAIN.fullmatch(raw)
        if match is not None:
            whole, frac = match.groups()
            return int(whole) * 100 + (int(frac.ljust(2, "0")) if frac else 0)
    return None


def plain_date(raw: Any) -> dt.date | None:
    """A valid date as the checker accepts it (a date, or ISO ``YYYY-MM-DD`` text), else ``None``."""
    if type(raw) is dt.date:
        return raw
    if type(raw) is str and len(raw) == 10:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            return None
    return None


def plain_text(raw: Any) -> TypeGuard[str]:
    return type(raw) is str and bool(raw.strip())


def _whole(value: Fraction) -> int:
    """A value already reported when it has more than two places: its hundredths, truncated."""
    return int(value)


def household_id(raw: Any, index: int) -> str:
    """The id to name a household by in messages, or its position when the id is unusable."""
    raw_id = raw.get("id") if isinstance(raw, dict) else None
    return raw_id if isinstance(raw_id, str) and raw_id.strip() else f"（第 {index} 户）"


def households_list(c: Checker, raw: Any, top_fields: Mapping[str, str]) -> list[Any]:
    """The document's ``households`` list; unknown top-level keys and a missing/empty list are errors."""
    if not isinstance(raw, dict):
        c.errors.append("文档应为映射，至少包含 households [households]")
        return []
    for key in raw:
        if key not in top_fields:
            c.fail(None, None, str(key), "未知字段", "未知字段 (unknown field)")
    households = raw.get("households")
    if not isinstance(households, list) or not households:
        c.fail(None, None, "households", "家庭列表", "应为非空列表")
        return []
    return households
