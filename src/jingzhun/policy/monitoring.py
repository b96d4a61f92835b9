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
* ``size`` is a whole number ≥ 1; money is decimal strings or integers with at most two places (the
  input rules are in :mod:`jingzhun.policy.monitoring_input`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from jingzhun.policy import regions
from jingzhun.policy.money import fraction_to_str
from jingzhun.policy.monitoring_input import (
    CHECKS,
    EVENT_KINDS,
    MonitoredHousehold,
    parse_monitoring_document,
)
from jingzhun.policy.params import MissingParameter, ParameterTree, Resolved, load_parameters

CATEGORIES_ZH = {
    "exited": "脱贫不稳定户",
    "marginal": "边缘易致贫户",
    "registered": "建档立卡未脱贫户",
    "other": "一般农户",
}
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


@dataclass(frozen=True)
class MonitoringRules:
    """The parameters in force on the 1st of M (each with the date of its value), and their numbers."""

    month: dt.date  # the 1st of M
    parameters: tuple[Resolved, ...]
    monitoring_line_fen: int
    poverty_line_fen: int
    drop_ratio: Fraction
    hospital_oop_fen: int
    any_household_hardship: bool
    any_household_since: dt.date

    @property
    def window_start(self) -> dt.date:
        return self.month.replace(year=self.month.year - 1)


@dataclass(frozen=True)
class Assessment:
    id: str
    flags: tuple[str, ...]
    level: str | None
    household: MonitoredHousehold
    rules: MonitoringRules

    def reasons(self) -> tuple[str, ...]:
        """One plain-Chinese sentence per flag, then the level's (built only when asked)."""
        return _assess(self.household, self.rules, True)[2]


def monitoring_rules(tree: ParameterTree, month: dt.date) -> MonitoringRules:
    """The rules in force on the 1st of ``month``; raises :class:`MissingParameter` when any is missing."""
    first = month.replace(day=1)
    names = (
        "monitoring_line",
        "poverty_line",
        "monitoring.income_drop_ratio",
        "monitoring.hospital_oop_threshold",
        "monitoring.sudden_hardship_any_household",
    )
    line, poverty, ratio, hospital, any_household = (tree.resolve(n, regions.NATIONAL, first) for n in names)
    return MonitoringRules(
        month=first,
        parameters=(line, poverty, ratio, hospital, any_household),
        monitoring_line_fen=_fen(line),
        poverty_line_fen=_fen(poverty),
        drop_ratio=_number(ratio),
        hospital_oop_fen=_fen(hospital),
        any_household_hardship=any_household.value is True,
        any_household_since=any_household.since,
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
    flags, level, _ = _assess(h, rules, False)
    return Assessment(h.id, flags, level, h, rules)


def _assess(
    h: MonitoredHousehold, rules: MonitoringRules, explain: bool
) -> tuple[tuple[str, ...], str | None, tuple[str, ...]]:
    """Flags, level and — when ``explain`` — the sentences: one piece of code decides and explains."""
    if h.category == "registered" or (h.category == "other" and not rules.any_household_hardship):
        if not explain:
            return (), None, ()
        since = rules.any_household_since.isoformat()
        why = "不属于监测对象" if h.category == "registered" else f"突发严重困难户本月尚未纳入监测（{since} 起的规定）"
        return (), None, (f"{CATEGORIES_ZH[h.category]}：{why}",)
    flags: list[str] = []
    reasons: list[str] = []
    if h.category != "other":
        _income_flags(h, rules, explain, flags, reasons)
        for check, holds in h.checks:
            if not holds:
                flags.append(check)
                if explain:
                    reasons.append(f"{FLAGS_ZH[check]}：核查结果为否")
    if h.events:
        _event_flags(h, rules, explain, flags, reasons)
    level = _level(h, flags, rules)
    if explain:
        reasons.append(_level_reason(h, flags, level, rules))
    return tuple(flags), level, tuple(reasons)


def _income_flags(
    h: MonitoredHousehold, rules: MonitoringRules, explain: bool, flags: list[str], reasons: list[str]
) -> None:
    income, previous = h.income_12m_fen, h.income_prev_year_fen
    if income < rules.monitoring_line_fen * h.size:
        flags.append("income_low")
        if explain:
            per = fraction_to_str(Fraction(income, 100 * h.size), 2)
            line = _yuan(rules.monitoring_line_fen)
            reasons.append(f"收入低于监测线：{_yuan(income)} 元 ÷ {h.size} 人 = {per} 元/人 < {line} 元")
    if h.rigid_costs_12m_fen > previous:
        flags.append("rigid_costs")
        if explain:
            reasons.append(f"刚性支出：{_yuan(h.rigid_costs_12m_fen)} 元 > 上年收入 {_yuan(previous)} 元")
    ratio = rules.drop_ratio
    if income * ratio.denominator < ratio.numerator * previous:
        flags.append("income_drop")
        if explain:
            floor = fraction_to_str(ratio * previous / 100, 2)
            arithmetic = f"{fraction_to_str(ratio)} × {_yuan(previous)} = {floor} 元"
            reasons.append(f"收入骤减：{_yuan(income)} 元 < {arithmetic}")
    if h.hospital_oop_12m_fen > rules.hospital_oop_fen:
        flags.append("hospital_oop")
        if explain:
            reasons.append(f"住院自付：{_yuan(h.hospital_oop_12m_fen)} 元 > {_yuan(rules.hospital_oop_fen)} 元")


def _event_flags(
    h: MonitoredHousehold, rules: MonitoringRules, explain: bool, flags: list[str], reasons: list[str]
) -> None:
    start, end = rules.window_start, rules.month
    counted = [e for e in h.events if start <= e.date < end]
    kinds = EVENT_KINDS if h.category != "other" else ("sudden_hardship",)
    for kind in kinds:
        dates = sorted(e.date for e in counted if e.kind == kind)
        if dates:
            flags.append(kind)
            if explain:
                shown = "、".join(d.isoformat() for d in dates)
                reasons.append(f"{FLAGS_ZH[kind]}：{shown}，在 {start.isoformat()} 至 {end.isoformat()}（不含）之间")


def _level(h: MonitoredHousehold, flags: list[str], rules: MonitoringRules) -> str | None:
    if not flags:
        return None
    if h.income_12m_fen < rules.poverty_line_fen * h.size or not RED_FLAGS.isdisjoint(flags):
        return "red"
    return "orange" if len(flags) >= 2 else "yellow"


def _level_reason(h: MonitoredHousehold, flags: list[str], level: str | None, rules: MonitoringRules) -> str:
    if level is None:
        return "无预警：未发现风险"
    line = rules.poverty_line_fen
    if h.income_12m_fen < line * h.size:
        arithmetic = f"{_yuan(line)} × {h.size} 人 = {_yuan(line * h.size)} 元"
        return f"红色预警：收入 {_yuan(h.income_12m_fen)} 元 < 扶贫标准 {arithmetic}"
    if level == "red":
        return f"红色预警：{'、'.join(FLAGS_ZH[f] for f in flags if f in RED_FLAGS)}"
    return f"{LEVELS_ZH[level]}预警：{len(flags)} 项风险"


def _number(resolved: Resolved) -> Fraction:
    value = resolved.value
    assert isinstance(value, Fraction | int) and not isinstance(value, bool)
    return Fraction(value)


def _fen(resolved: Resolved) -> int:
    fen = _number(resolved) * 100
    assert fen.denominator == 1  # money parameters have at most two places
    return int(fen)


def _yuan(fen: int) -> str:
    return fraction_to_str(Fraction(fen, 100), 2)
