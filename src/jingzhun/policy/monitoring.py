"""返贫预警 — the monthly return-to-poverty assessment, POLICY.md §8 — pure, no database.

For month M (parameters read on the 1st of M; none before 2020-01, which is 无参数) each household gets
its flags, in this order, and a level:

* who is assessed: ``exited`` (脱贫不稳定户) and ``marginal`` (边缘易致贫户) households get every flag;
  ``other`` households get only ``sudden_hardship``, and only while
  ``monitoring.sudden_hardship_any_household`` holds (from 2021-01-01, 突发严重困难户);
  ``registered`` households (not yet exited: assistance is their track) get none;
* ``income_low``: income_12m < ``monitoring_line`` × size (exact, no rounding);
* ``rigid_costs``: rigid_costs_12m > income_prev_year;
* ``income_drop``: income_12m < ``monitoring.income_drop_ratio`` × income_prev_year;
* ``hospital_oop``: hospital_oop_12m > ``monitoring.hospital_oop_threshold``;
* ``schooling``, ``medical``, ``housing``, ``water``: that check is false;
* one flag per event kind present in the window (1st of M − 12 months) ≤ date < 1st of M, in the order
  of :data:`EVENT_KINDS`.

Level, only for a household with a flag: ``red`` when income_12m < ``poverty_line`` × size or any flag
of :data:`RED_FLAGS`; else ``orange`` for two or more flags, ``yellow`` for one. No flag: ``None``.

Ambiguities of POLICY.md resolved here:

* The red income test is ``poverty_line`` (the national statistical line, 4000 in 2020) in force on the
  1st of M, times size, compared with the 12 months' income; it applies only to a flagged household,
  so an ``other`` household with ``sudden_hardship`` is red whatever its income.
* Several events of one kind give one flag; events dated on or after the 1st of M are not counted (a
  later month's assessment counts them) and are not an input error.
* ``labour_capacity`` is validated but raises no flag (it matters for 风险消除, which is a case step).
* The document has no region: every parameter resolves at the national level.
* ``size`` is a whole number ≥ 1; money is decimal strings or integers with at most two places.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from jingzhun.policy import regions
from jingzhun.policy.check_fields import CheckInputError, FieldChecker, household_id, households_list
from jingzhun.policy.money import fraction_to_str
from jingzhun.policy.params import MissingParameter, ParameterTree, Resolved, load_parameters

CATEGORIES = ("exited", "marginal", "registered", "other")
CATEGORIES_ZH = {
    "exited": "脱贫不稳定户",
    "marginal": "边缘易致贫户",
    "registered": "建档立卡未脱贫户",
    "other": "一般农户",
}
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
FLAGS = ("income_low", "rigid_costs", "income_drop", "hospital_oop", *CHECKS, *EVENT_KINDS)
RED_FLAGS = frozenset({*CHECKS, "sudden_hardship"})
FLAGS_ZH = {
    "income_low": "收入低于监测线",
    "rigid_costs": "刚性支出超过上年收入",
    "income_drop": "收入骤减",
    "hospital_oop": "住院自付费用高",
    "schooling": "义务教育无保障",
    "medical": "基本医疗无保障",
    "housing": "住房安全无保障",
    "water": "饮水安全无保障",
    "severe_disability": "重度残疾",
    "labour_lost": "丧失劳动能力",
    "disaster": "自然灾害",
    "accident_death": "意外事故死亡",
    "dropout": "辍学",
    "work_interrupted": "务工中断",
    "sudden_hardship": "突发严重困难",
}
LEVELS_ZH = {"red": "红色", "orange": "橙色", "yellow": "黄色"}

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


@dataclass(frozen=True, slots=True)
class Event:
    kind: str
    date: dt.date


@dataclass(frozen=True, slots=True)
class MonitoredHousehold:
    id: str
    category: str
    size: int
    income_12m: Fraction
    income_prev_year: Fraction
    rigid_costs_12m: Fraction
    hospital_oop_12m: Fraction
    labour_capacity: bool
    checks: tuple[tuple[str, bool], ...]  # (check, holds) in CHECKS' order
    events: tuple[Event, ...]


@dataclass(frozen=True)
class MonitoringRules:
    month: dt.date  # the 1st of M
    monitoring_line: Resolved
    poverty_line: Resolved
    income_drop_ratio: Resolved
    hospital_oop_threshold: Resolved
    sudden_hardship_any_household: Resolved

    @property
    def window_start(self) -> dt.date:
        return self.month.replace(year=self.month.year - 1)

    @property
    def parameters(self) -> tuple[Resolved, ...]:
        return (
            self.monitoring_line,
            self.poverty_line,
            self.income_drop_ratio,
            self.hospital_oop_threshold,
            self.sudden_hardship_any_household,
        )


@dataclass(frozen=True)
class Assessment:
    id: str
    flags: tuple[str, ...]
    level: str | None
    reasons: tuple[str, ...]  # one plain-Chinese sentence per flag, then the level's
    parameters: tuple[Resolved, ...]


def monitoring_rules(tree: ParameterTree, month: dt.date) -> MonitoringRules:
    """The rules in force on the 1st of ``month``; raises :class:`MissingParameter` when any is missing."""
    first = month.replace(day=1)

    def get(name: str) -> Resolved:
        return tree.resolve(name, regions.NATIONAL, first)

    return MonitoringRules(
        month=first,
        monitoring_line=get("monitoring_line"),
        poverty_line=get("poverty_line"),
        income_drop_ratio=get("monitoring.income_drop_ratio"),
        hospital_oop_threshold=get("monitoring.hospital_oop_threshold"),
        sudden_hardship_any_household=get("monitoring.sudden_hardship_any_household"),
    )


def assess_document(raw: Any, month: dt.date, params: ParameterTree | None = None) -> list[Assessment]:
    """Validate the whole document and the month, then assess every household."""
    tree = params if params is not None else load_parameters()
    rules: MonitoringRules | None = None
    missing: list[str] = []
    try:
        rules = monitoring_rules(tree, month)
    except MissingParameter as exc:
        missing.append(f"评估月份 {month:%Y-%m} [--month]：{exc}")
    households = parse_monitoring_document(raw, missing)
    assert rules is not None  # a missing parameter was raised above with the document's errors
    return [assess_household(h, rules) for h in households]


def assess_household(h: MonitoredHousehold, rules: MonitoringRules) -> Assessment:
    reasons: list[str] = []
    if h.category == "registered" or (h.category == "other" and not rules.sudden_hardship_any_household.value):
        reason = "不属于监测对象" if h.category == "registered" else "突发严重困难户自 2021 年起纳入监测，本月不评估"
        return Assessment(h.id, (), None, (f"{CATEGORIES_ZH[h.category]}：{reason}",), rules.parameters)
    flags: list[str] = []
    if h.category != "other":
        for flag, sentence in _income_flags(h, rules):
            flags.append(flag)
            reasons.append(sentence)
        for check, holds in h.checks:
            if not holds:
                flags.append(check)
                reasons.append(f"{FLAGS_ZH[check]}：核查结果为否")
    start, end = rules.window_start, rules.month
    kinds = EVENT_KINDS if h.category != "other" else ("sudden_hardship",)
    for kind in kinds:
        dates = sorted(e.date for e in h.events if e.kind == kind and start <= e.date < end)
        if dates:
            flags.append(kind)
            shown = "、".join(d.isoformat() for d in dates)
            reasons.append(f"{FLAGS_ZH[kind]}：{shown}，在 {start.isoformat()} 至 {end.isoformat()}（不含）之间")
    level, why = _level(h, flags, rules)
    reasons.append(why)
    return Assessment(h.id, tuple(flags), level, tuple(reasons), rules.parameters)


def _income_flags(h: MonitoredHousehold, rules: MonitoringRules) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    line = _number(rules.monitoring_line)
    if h.income_12m < line * h.size:
        per = _yuan(h.income_12m / h.size)
        out.append(
            ("income_low", f"收入低于监测线：{_yuan(h.income_12m)} 元 ÷ {h.size} 人 = {per} 元/人 < {_yuan(line)} 元")
        )
    if h.rigid_costs_12m > h.income_prev_year:
        out.append(
            ("rigid_costs", f"刚性支出：{_yuan(h.rigid_costs_12m)} 元 > 上年收入 {_yuan(h.income_prev_year)} 元")
        )
    ratio = _number(rules.income_drop_ratio)
    if h.income_12m < ratio * h.income_prev_year:
        floor = _yuan(ratio * h.income_prev_year)
        out.append(
            (
                "income_drop",
                f"收入骤减：{_yuan(h.income_12m)} 元 < {_yuan(ratio)} × {_yuan(h.income_prev_year)} = {floor} 元",
            )
        )
    threshold = _number(rules.hospital_oop_threshold)
    if h.hospital_oop_12m > threshold:
        out.append(("hospital_oop", f"住院自付：{_yuan(h.hospital_oop_12m)} 元 > {_yuan(threshold)} 元"))
    return out


def _level(h: MonitoredHousehold, flags: list[str], rules: MonitoringRules) -> tuple[str | None, str]:
    if not flags:
        return None, "无预警：未发现风险"
    line = _number(rules.poverty_line)
    if h.income_12m < line * h.size:
        arithmetic = f"{_yuan(line)} × {h.size} 人 = {_yuan(line * h.size)} 元"
        return "red", f"红色预警：收入 {_yuan(h.income_12m)} 元 < 扶贫标准 {arithmetic}"
    red = [f for f in flags if f in RED_FLAGS]
    if red:
        return "red", f"红色预警：{'、'.join(FLAGS_ZH[f] for f in red)}"
    if len(flags) >= 2:
        return "orange", f"橙色预警：{len(flags)} 项风险"
    return "yellow", "黄色预警：1 项风险"


def _number(resolved: Resolved) -> Fraction:
    value = resolved.value
    assert isinstance(value, Fraction | int) and not isinstance(value, bool)
    return Fraction(value)


def _yuan(value: Fraction) -> str:
    return fraction_to_str(value, 2)


def parse_monitoring_document(raw: Any, missing: list[str] | None = None) -> list[MonitoredHousehold]:
    """Every household, or :class:`CheckInputError` with every problem (``missing``: 无参数 for the month)."""
    c = FieldChecker()
    out: list[MonitoredHousehold] = []
    seen: set[str] = set()
    for index, rh in enumerate(households_list(c, raw, {"households": "家庭列表"}), start=1):
        hid = household_id(rh, index)
        if not c.mapping(rh, HOUSEHOLD_FIELDS, hid, None, f"第 {index} 户"):
            continue
        f = HOUSEHOLD_FIELDS
        if c.text(rh.get("id"), hid, None, "id", f["id"]) is not None:
            if hid in seen:
                c.fail(hid, None, "id", f["id"], "户编号重复 (duplicate id)")
            seen.add(hid)
        money = {
            key: c.money(rh.get(key), hid, None, key, f[key])
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
