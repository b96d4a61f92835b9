"""Household exit check (贫困户脱贫退出核查), POLICY.md §8 — pure, no database.

For assessment year Y a household may exit (``exit_ok``) when every criterion holds; the failed ones are
listed once each, in this order:

1. ``income`` — household net income ÷ members > ``exit_income_line`` in force on 1 January of Y
   (strictly above: "稳定超过"); compared exactly as income > line × members, no rounding.
2. ``schooling`` — every member aged ``exit_check.schooling_min_age`` to ``schooling_max_age`` inclusive
   (completed years on 1 September of Y) is ``in_school`` or ``school_exempt_health``.
3. ``medical`` — every member is ``medical_insured``.
4. ``housing`` — housing grade A or B (C and D are 危房), or ``relocated_keys`` (relocation flat handed over).
5. ``water`` — only when ``exit_check.water_checked`` holds on 1 January of Y (from 2019): litres per
   person per day ≥ the minimum (the dry-area minimum when ``dry_area``), fetch minutes ≤ the maximum,
   days without water ≤ the maximum, and ``quality_ok``. Before, ``water`` may be left out and is
   ignored, not validated.

Ambiguities of POLICY.md resolved here:

* A birthday on 1 September counts as reached on that day (POLICY.md's default); a 29 February birthday
  is reached on 1 March in common years (§0) — irrelevant on 1 September, so a plain date comparison.
* A member born after 1 September of Y is younger than the minimum age and not checked for schooling.
* Every parameter, the water thresholds included, is read on 1 January of Y, like the income line.
* ``region`` must be a known GB/T 2260 code; parameters resolve through it (county → city → national),
  so a county could set its own line, although POLICY.md gives only national values.
* Water quantities are decimal strings or integers with at most two places (like money); minutes and
  days are whole numbers. The document's input rules are in :mod:`jingzhun.policy.exit_input`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from jingzhun.policy.exit_input import ExitHousehold, parse_exit_document
from jingzhun.policy.money import fraction_to_str
from jingzhun.policy.params import ParameterTree, Resolved, load_parameters

CRITERIA = ("income", "schooling", "medical", "housing", "water")
CRITERIA_ZH = {
    "income": "收入",
    "schooling": "义务教育",
    "medical": "基本医疗",
    "housing": "住房安全",
    "water": "饮水安全",
}
SAFE_GRADES = ("A", "B")
WATER_PARAMETERS = (
    "exit_check.water_min_litres_per_day",
    "exit_check.water_min_litres_per_day_dry_area",
    "exit_check.water_max_fetch_minutes",
    "exit_check.water_max_days_without_water",
)


@dataclass(frozen=True)
class ExitRules:
    """The parameters of one region and year (each with the date of its value), and their numbers."""

    year: int
    parameters: tuple[Resolved, ...]
    line_fen: int
    line_since: dt.date
    min_age: int
    max_age: int
    water: tuple[int, int, int, int] | None  # least centilitres (wet, dry area), most minutes, most days


@dataclass(frozen=True)
class Criterion:
    code: str
    ok: bool
    sentence: str  # the arithmetic in plain Chinese, for 为什么 questions


@dataclass(frozen=True)
class ExitResult:
    id: str
    exit_ok: bool
    failed: tuple[str, ...]
    household: ExitHousehold
    rules: ExitRules

    def criteria(self) -> tuple[Criterion, ...]:
        """Each criterion checked, with its sentence (built only when asked: a county has 100 000 households)."""
        return tuple(Criterion(code, *rule(self.household, self.rules, True)) for code, rule in _rules(self.rules))


def exit_rules(tree: ParameterTree, region: str, year: int) -> ExitRules:
    """The rules in force on 1 January of ``year``; raises :class:`MissingParameter` when any is missing."""
    at = dt.date(year, 1, 1)
    line = tree.resolve("exit_income_line", region, at)
    low = tree.resolve("exit_check.schooling_min_age", region, at)
    high = tree.resolve("exit_check.schooling_max_age", region, at)
    checked = tree.resolve("exit_check.water_checked", region, at)
    water = tuple(tree.resolve(name, region, at) for name in WATER_PARAMETERS) if checked.value else ()
    return ExitRules(
        year=year,
        parameters=(line, low, high, checked, *water),
        line_fen=_hundredths(line),
        line_since=line.since,
        min_age=_hundredths(low) // 100,
        max_age=_hundredths(high) // 100,
        water=(
            _hundredths(water[0]),
            _hundredths(water[1]),
            _hundredths(water[2]) // 100,
            _hundredths(water[3]) // 100,
        )
        if water
        else None,
    )


def check_exit_document(raw: Any, year: int, params: ParameterTree | None = None) -> list[ExitResult]:
    """Validate the whole document, then check every household; :class:`CheckInputError` lists every problem."""
    tree = params if params is not None else load_parameters()
    rules_of = rules_cache(tree, year)
    households = parse_exit_document(raw, year, lambda region: rules_of(region).water is not None)
    return [check_household(h, rules_of(h.region)) for h in households]


def check_household(h: ExitHousehold, rules: ExitRules) -> ExitResult:
    failed = tuple(code for code, rule in _rules(rules) if not rule(h, rules, False)[0])
    return ExitResult(h.id, not failed, failed, h, rules)


def school_age(birth: dt.date, year: int) -> int:
    """Completed years on 1 September of ``year`` (a 1 September birthday counts as reached)."""
    return year - birth.year - ((birth.month, birth.day) > (9, 1))


# Each criterion: (holds, its sentence — "" unless ``explain``), so the decision and the explanation are
# one piece of code, and the JSON path builds no text.


def _income(h: ExitHousehold, rules: ExitRules, explain: bool) -> tuple[bool, str]:
    n = len(h.members)
    ok = h.income_fen > rules.line_fen * n
    if not explain:
        return ok, ""
    per = fraction_to_str(Fraction(h.income_fen, 100 * n), 2)
    return ok, (
        f"收入：{_yuan(h.income_fen)} 元 ÷ {n} 人 = {per} 元/人，{'超过' if ok else '未超过'}退出收入线 "
        f"{_yuan(rules.line_fen)} 元（{rules.line_since.isoformat()} 起）"
    )


def _schooling(h: ExitHousehold, rules: ExitRules, explain: bool) -> tuple[bool, str]:
    low, high = rules.min_age, rules.max_age
    pupils = [(m, age) for m in h.members if low <= (age := school_age(m.birth_date, rules.year)) <= high]
    out = [f"{m.id}（{age} 周岁）" for m, age in pupils if not (m.in_school or m.school_exempt_health)]
    if not explain:
        return not out, ""
    span = f"{low}–{high} 周岁（按 {rules.year}-09-01 计）"
    if out:
        return False, f"义务教育：{span}成员 {'、'.join(out)} 未在校且无因病免学"
    if not pupils:
        return True, f"义务教育：无 {span}成员"
    return True, f"义务教育：{span}成员 {'、'.join(m.id for m, _ in pupils)} 均在校或因病免学"


def _medical(h: ExitHousehold, rules: ExitRules, explain: bool) -> tuple[bool, str]:
    out = [m.id for m in h.members if not m.medical_insured]
    if not explain:
        return not out, ""
    if out:
        return False, f"基本医疗：成员 {'、'.join(out)} 未参加基本医疗保险"
    return True, f"基本医疗：全部 {len(h.members)} 人参加基本医疗保险"


def _housing(h: ExitHousehold, rules: ExitRules, explain: bool) -> tuple[bool, str]:
    safe = h.housing_grade in SAFE_GRADES
    ok = safe or h.relocated_keys
    if not explain:
        return ok, ""
    grade = f"住房等级 {h.housing_grade}" + ("" if safe else "（危房）")
    if safe:
        return True, f"住房安全：{grade}"
    return ok, f"住房安全：{grade}，{'但已' if ok else '未'}交付搬迁安置房"


def _water(h: ExitHousehold, rules: ExitRules, explain: bool) -> tuple[bool, str]:
    assert h.water is not None and rules.water is not None
    w = h.water
    least_wet, least_dry, max_minutes, max_days = rules.water
    least = least_dry if w.dry_area else least_wet
    checks = (
        w.centilitres_per_day >= least,
        w.fetch_minutes <= max_minutes,
        w.days_without_water <= max_days,
        w.quality_ok,
    )
    if not explain:
        return all(checks), ""
    dry = "（干旱缺水地区）" if w.dry_area else ""
    parts = (
        f"每人每日 {_yuan(w.centilitres_per_day)} 升 {'≥' if checks[0] else '<'} {_yuan(least)} 升{dry}",
        f"取水往返 {w.fetch_minutes} 分钟 {'≤' if checks[1] else '>'} {max_minutes} 分钟",
        f"年缺水 {w.days_without_water} 天 {'≤' if checks[2] else '>'} {max_days} 天",
        "水质达标" if checks[3] else "水质不达标",
    )
    return all(checks), "饮水安全：" + "，".join(parts)


Rule = Callable[[ExitHousehold, ExitRules, bool], tuple[bool, str]]
_WITHOUT_WATER: tuple[tuple[str, Rule], ...] = (
    ("income", _income),
    ("schooling", _schooling),
    ("medical", _medical),
    ("housing", _housing),
)
_WITH_WATER: tuple[tuple[str, Rule], ...] = (*_WITHOUT_WATER, ("water", _water))


def _rules(rules: ExitRules) -> tuple[tuple[str, Rule], ...]:
    return _WITH_WATER if rules.water is not None else _WITHOUT_WATER


def _hundredths(resolved: Resolved) -> int:
    """A parameter's value × 100 as an integer (parameters have at most two places)."""
    value = resolved.value
    assert isinstance(value, Fraction | int) and not isinstance(value, bool)
    scaled = Fraction(value) * 100
    assert scaled.denominator == 1
    return int(scaled)


def _yuan(hundredths: int) -> str:
    return fraction_to_str(Fraction(hundredths, 100), 2)


def rules_cache(tree: ParameterTree, year: int) -> Callable[[str], ExitRules]:
    """The rules of ``year`` by region, each resolved once."""
    cache: dict[str, ExitRules] = {}

    def rules_of(region: str) -> ExitRules:
        if region not in cache:
            cache[region] = exit_rules(tree, region, year)
        return cache[region]

    return rules_of
