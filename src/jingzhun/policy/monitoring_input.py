"""The monitoring document (POLICY.md §8): parse and validate it, collecting every error before assessing.

Bad input — unknown or missing field, wrong type, bad date, duplicate household id, ``size`` < 1,
negative money or money with more than two places, floats, a category or event kind outside its list —
is reported by household and field in Chinese with the English key in brackets (``events[2].date``).

Valid households take a fast path without per-field checks (a county has 100 000); anything odd goes
through the checked path, which names it. Tests compare the two paths on every single-field corruption.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from jingzhun.policy.check_fields import (
    CheckInputError,
    FieldChecker,
    household_id,
    households_list,
    plain_date,
    plain_hundredths,
    plain_text,
)

CATEGORIES = ("exited", "marginal", "registered", "other")
CHECKS = ("schooling", "medical", "housing", "water")
EVENT_KINDS = (
    "severe_disability",
    "labour_lost",
    "disaster",
    "accident_death",
    "dropout",
    "work_interrupted",
    "sudden_hardship",
)
HOUSEHOLD_FIELDS = {
    "id": "户编号",
    "category": "监测类别",
    "size": "家庭人口",
    "income_12m": "近 12 个月家庭纯收入",
    "income_prev_year": "上年家庭纯收入",
    "rigid_costs_12m": "近 12 个月刚性支出",
    "hospital_oop_12m": "近 12 个月住院自付费用",
    "labour_capacity": "有劳动能力",
    "checks": "三保障及饮水核查",
    "events": "风险事件",
}
CHECK_FIELDS = {
    "schooling": "义务教育有保障",
    "medical": "基本医疗有保障",
    "housing": "住房安全有保障",
    "water": "饮水安全有保障",
}
EVENT_FIELDS = {"kind": "事件类型", "date": "事件日期"}


@dataclass(slots=True)  # not frozen: a frozen dataclass costs a setattr per field, ×300 000
class Event:
    kind: str
    date: dt.date


@dataclass(slots=True)  # not frozen: a frozen dataclass costs a setattr per field, ×300 000
class MonitoredHousehold:
    id: str
    category: str
    size: int
    income_12m_fen: int
    income_prev_year_fen: int
    rigid_costs_12m_fen: int
    hospital_oop_12m_fen: int
    labour_capacity: bool
    checks: tuple[tuple[str, bool], ...]  # (check, holds) in CHECKS' order
    events: tuple[Event, ...]


def parse_monitoring_document(
    raw: Any, missing: list[str] | None = None, fast: bool = True
) -> list[MonitoredHousehold]:
    """Every household, or :class:`CheckInputError` with every problem (``missing``: 无参数 for the month).

    ``fast=False`` sends every household through the checked path (tests compare the two)."""
    c = FieldChecker()
    out: list[MonitoredHousehold] = []
    seen: set[str] = set()
    for index, rh in enumerate(households_list(c, raw, {"households": "家庭列表"}), start=1):
        valid = _valid_household(rh, seen) if fast else None
        if valid is not None:
            out.append(valid)
            continue
        hid = household_id(rh, index)
        if not c.mapping(rh, HOUSEHOLD_FIELDS, hid, None, f"第 {index} 户"):
            continue
        f = HOUSEHOLD_FIELDS
        if c.text(rh.get("id"), hid, None, "id", f["id"]) is not None:
            if hid in seen:
                c.fail(hid, None, "id", f["id"], "户编号重复 (duplicate id)")
            seen.add(hid)
        money = {
            f"{key}_fen": c.fen(rh.get(key), hid, None, key, f[key])
            for key in ("income_12m", "income_prev_year", "rigid_costs_12m", "hospital_oop_12m")
        }
        out.append(
            MonitoredHousehold(
                id=hid,
                category=c.choice(rh.get("category"), CATEGORIES, hid, None, "category", f["category"]),
                size=c.count(rh.get("size"), hid, None, "size", f["size"], least=1),
                labour_capacity=c.boolean(
                    rh.get("labour_capacity"), hid, None, "labour_capacity", f["labour_capacity"]
                ),
                checks=_checks(c, rh.get("checks"), hid),
                events=_events(c, rh.get("events"), hid),
                **money,
            )
        )
    errors = c.errors + (missing or [])
    if errors:
        raise CheckInputError(errors)
    return out


def _checks(c: FieldChecker, raw: Any, hid: str) -> tuple[tuple[str, bool], ...]:
    if not isinstance(raw, dict):
        c.fail(hid, None, "checks", HOUSEHOLD_FIELDS["checks"], f"应为映射（{', '.join(CHECKS)}），得到 {raw!r}")
        return tuple((key, True) for key in CHECKS)
    c.mapping(raw, CHECK_FIELDS, hid, None, f"户 {hid}，三保障及饮水核查 [checks]", prefix="checks.")
    return tuple((key, c.boolean(raw.get(key), hid, None, f"checks.{key}", CHECK_FIELDS[key])) for key in CHECKS)


def _events(c: FieldChecker, raw: Any, hid: str) -> tuple[Event, ...]:
    if not isinstance(raw, list):
        c.fail(hid, None, "events", HOUSEHOLD_FIELDS["events"], f"应为列表（可为空 []），得到 {raw!r}")
        return ()
    out: list[Event] = []
    for index, re in enumerate(raw, start=1):
        what = f"第 {index} 个风险事件"
        if not c.mapping(re, EVENT_FIELDS, hid, None, f"户 {hid}，{what} [events]", prefix=f"events[{index}]."):
            continue
        kind = c.choice(re.get("kind"), EVENT_KINDS, hid, None, f"events[{index}].kind", EVENT_FIELDS["kind"])
        date = c.date(re.get("date"), hid, None, f"events[{index}].date", EVENT_FIELDS["date"])
        out.append(Event(kind, date))
    return tuple(out)


_KEYS = HOUSEHOLD_FIELDS.keys()
_CHECK_KEYS = CHECK_FIELDS.keys()
_EVENT_KEYS = EVENT_FIELDS.keys()
_MONEY = ("income_12m", "income_prev_year", "rigid_costs_12m", "hospital_oop_12m")


def _valid_household(rh: Any, seen: set[str]) -> MonitoredHousehold | None:
    """The common case — every field valid — without per-field checks (a county has 100 000 households).
    ``None`` sends the household through the checked path, which names each problem."""
    if type(rh) is not dict or rh.keys() != _KEYS:
        return None
    hid, category, size, labour = rh["id"], rh["category"], rh["size"], rh["labour_capacity"]
    if not plain_text(hid) or hid in seen or type(category) is not str or category not in CATEGORIES:
        return None
    if type(size) is not int or size < 1 or type(labour) is not bool:
        return None
    money = [plain_hundredths(rh[key]) for key in _MONEY]
    checks, events = rh["checks"], _valid_events(rh["events"])
    if None in money or events is None or type(checks) is not dict or checks.keys() != _CHECK_KEYS:
        return None
    if any(type(checks[key]) is not bool for key in CHECKS):
        return None
    seen.add(hid)
    income, previous, rigid, hospital = money
    assert income is not None and previous is not None and rigid is not None and hospital is not None
    held = tuple((key, checks[key] is True) for key in CHECKS)
    return MonitoredHousehold(hid, category, size, income, previous, rigid, hospital, labour, held, events)


def _valid_events(raw: Any) -> tuple[Event, ...] | None:
    if type(raw) is not list:
        return None
    out = []
    for re in raw:
        if type(re) is not dict or re.keys() != _EVENT_KEYS:
            return None
        kind, date = re["kind"], plain_date(re["date"])
        if type(kind) is not str or kind not in EVENT_KINDS or date is None:
            return None
        out.append(Event(kind, date))
    return tuple(out)
