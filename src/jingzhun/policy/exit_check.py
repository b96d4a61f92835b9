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
  days are whole numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from jingzhun.policy import regions
from jingzhun.policy.check_fields import (
    CheckInputError,
    FieldChecker,
    household_id,
    households_list,
    plain_date,
    plain_hundredths,
    plain_text,
)
from jingzhun.policy.money import fraction_to_str
from jingzhun.policy.params import MissingParameter, ParameterTree, Resolved, load_parameters

CRITERIA = ("income", "schooling", "medical", "housing", "water")
CRITERIA_ZH = {
    "income": "收入",
    "schooling": "义务教育",
    "medical": "基本医疗",
    "housing": "住房安全",
    "water": "饮水安全",
}
HOUSING_GRADES = ("A", "B", "C", "D")
SAFE_GRADES = ("A", "B")

HOUSEHOLD_FIELDS = {
    "id": "户编号",
    "region": "行政区划",
    "annual_income": "家庭年纯收入",
    "housing_grade": "住房等级",
    "relocated_keys": "已交付搬迁安置房",
    "water": "饮水情况",
    "members": "家庭成员",
}
MEMBER_FIELDS = {
    "id": "成员编号",
    "birth_date": "出生日期",
    "in_school": "在校",
    "school_exempt_health": "因病免学",
    "medical_insured": "参加基本医疗保险",
}
WATER_FIELDS = {
    "litres_per_day": "每人每日可用水量（升）",
    "fetch_minutes": "往返取水时间（分钟）",
    "days_without_water": "年缺水天数",
    "quality_ok": "水质达标",
    "dry_area": "干旱缺水地区",
}
_FIELDS_WITHOUT_WATER = {k: v for k, v in HOUSEHOLD_FIELDS.items() if k != "water"}
WATER_PARAMETERS = (
    "exit_check.water_min_litres_per_day",
    "exit_check.water_min_litres_per_day_dry_area",
    "exit_check.water_max_fetch_minutes",
    "exit_check.water_max_days_without_water",
)


@dataclass(slots=True)  # not frozen: a frozen dataclass costs a setattr per field, ×300 000
class Water:
    centilitres_per_day: int  # litres × 100: quantities are compared exactly, as whole hundredths
    fetch_minutes: int
    days_without_water: int
    quality_ok: bool
    dry_area: bool


@dataclass(slots=True)  # not frozen: a frozen dataclass costs a setattr per field, ×300 000
class ExitMember:
    id: str
    birth_date: dt.date
    in_school: bool
    school_exempt_health: bool
    medical_insured: bool


@dataclass(slots=True)  # not frozen: a frozen dataclass costs a setattr per field, ×300 000
class ExitHousehold:
    id: str
    region: str
    income_fen: int
    housing_grade: str
    relocated_keys: bool
    water: Water | None
    members: tuple[ExitMember, ...]


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
    rules_of = _rules_cache(tree, year)
    households = parse_exit_document(raw, year, rules_of)
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


def _rules_cache(tree: ParameterTree, year: int) -> Callable[[str], ExitRules]:
    cache: dict[str, ExitRules] = {}

    def rules_of(region: str) -> ExitRules:
        if region not in cache:
            cache[region] = exit_rules(tree, region, year)
        return cache[region]

    return rules_of


def parse_exit_document(
    raw: Any, year: int, rules_of: Callable[[str], ExitRules], fast: bool = True
) -> list[ExitHousehold]:
    """Every household, or :class:`CheckInputError` with every problem (and any 无参数 for the year).

    ``fast=False`` sends every household through the checked path (tests compare the two)."""
    c = FieldChecker()
    missing: list[str] = []
    households: list[ExitHousehold] = []
    seen: set[str] = set()
    seen_members: dict[str, str] = {}
    for index, rh in enumerate(households_list(c, raw, {"households": "家庭列表"}), start=1):
        valid = _valid_household(rh, rules_of, seen, seen_members) if fast else None
        if valid is not None:
            households.append(valid)
            continue
        hid = household_id(rh, index)
        water_checked = False
        region = rh.get("region") if isinstance(rh, dict) else None
        known = region if isinstance(region, str) and region in regions.COUNTIES else regions.NATIONAL
        try:
            water_checked = rules_of(known).water is not None
        except MissingParameter as exc:
            message = f"评估年度 {year} [--year]：{exc}"
            if message not in missing:
                missing.append(message)
        household = _household(c, rh, index, hid, water_checked, seen, seen_members)
        if household is not None:
            households.append(household)
    if c.errors or missing:
        raise CheckInputError(c.errors + missing)
    return households


def _household(
    c: FieldChecker,
    rh: Any,
    index: int,
    hid: str,
    water_checked: bool,
    seen: set[str],
    seen_members: dict[str, str],
) -> ExitHousehold | None:
    fields = HOUSEHOLD_FIELDS
    if not water_checked:
        fields = _FIELDS_WITHOUT_WATER
        if isinstance(rh, dict) and "water" in rh:
            rh = {k: v for k, v in rh.items() if k != "water"}  # before the water criterion: ignored, not validated
    if not c.mapping(rh, fields, hid, None, f"第 {index} 户"):
        return None
    if c.text(rh.get("id"), hid, None, "id", fields["id"]) is not None:
        if hid in seen:
            c.fail(hid, None, "id", fields["id"], "户编号重复 (duplicate id)")
        seen.add(hid)
    region = rh.get("region")
    if "region" in rh and not (isinstance(region, str) and region in regions.COUNTIES):
        c.fail(hid, None, "region", fields["region"], f"未知区划代码（须为县级 GB/T 2260 代码字符串）: {region!r}")
    income = c.fen(rh.get("annual_income"), hid, None, "annual_income", fields["annual_income"])
    grade = c.choice(rh.get("housing_grade"), HOUSING_GRADES, hid, None, "housing_grade", fields["housing_grade"])
    relocated = c.boolean(rh.get("relocated_keys"), hid, None, "relocated_keys", fields["relocated_keys"])
    water = _water_input(c, rh.get("water"), hid) if water_checked else None
    members = _members(c, rh.get("members"), hid, seen_members)
    return ExitHousehold(hid, str(region), income, grade, relocated, water, members)


def _water_input(c: FieldChecker, raw: Any, hid: str) -> Water:
    if not isinstance(raw, dict):
        c.fail(hid, None, "water", HOUSEHOLD_FIELDS["water"], f"应为映射（{', '.join(WATER_FIELDS)}），得到 {raw!r}")
        return Water(0, 0, 0, False, False)
    c.mapping(raw, WATER_FIELDS, hid, None, f"户 {hid}，饮水情况 [water]", prefix="water.")
    f = WATER_FIELDS
    return Water(
        centilitres_per_day=c.quantity(
            raw.get("litres_per_day"), hid, None, "water.litres_per_day", f["litres_per_day"]
        ),
        fetch_minutes=c.count(raw.get("fetch_minutes"), hid, None, "water.fetch_minutes", f["fetch_minutes"]),
        days_without_water=c.count(
            raw.get("days_without_water"), hid, None, "water.days_without_water", f["days_without_water"]
        ),
        quality_ok=c.boolean(raw.get("quality_ok"), hid, None, "water.quality_ok", f["quality_ok"]),
        dry_area=c.boolean(raw.get("dry_area"), hid, None, "water.dry_area", f["dry_area"]),
    )


def _members(c: FieldChecker, raw: Any, hid: str, seen: dict[str, str]) -> tuple[ExitMember, ...]:
    if not isinstance(raw, list) or not raw:
        c.fail(hid, None, "members", HOUSEHOLD_FIELDS["members"], "应为非空列表（至少一名成员）")
        return ()
    out: list[ExitMember] = []
    for index, rm in enumerate(raw, start=1):
        raw_id = rm.get("id") if isinstance(rm, dict) else None
        mid = raw_id if isinstance(raw_id, str) and raw_id.strip() else f"（第 {index} 名）"
        if not c.mapping(rm, MEMBER_FIELDS, hid, mid, f"户 {hid}，第 {index} 名成员"):
            continue
        c.member_id(rm.get("id"), hid, seen)
        f = MEMBER_FIELDS
        out.append(
            ExitMember(
                id=mid,
                birth_date=c.date(rm.get("birth_date"), hid, mid, "birth_date", f["birth_date"]),
                in_school=c.boolean(rm.get("in_school"), hid, mid, "in_school", f["in_school"]),
                school_exempt_health=c.boolean(
                    rm.get("school_exempt_health"), hid, mid, "school_exempt_health", f["school_exempt_health"]
                ),
                medical_insured=c.boolean(rm.get("medical_insured"), hid, mid, "medical_insured", f["medical_insured"]),
            )
        )
    return tuple(out)


_KEYS = HOUSEHOLD_FIELDS.keys()
_KEYS_WITHOUT_WATER = HOUSEHOLD_FIELDS.keys() - {"water"}
_WATER_KEYS = WATER_FIELDS.keys()


def _valid_household(
    rh: Any, rules_of: Callable[[str], ExitRules], seen: set[str], seen_members: dict[str, str]
) -> ExitHousehold | None:
    """The common case — every field valid — without per-field checks (a county has 100 000 households).
    ``None`` sends the household through the checked path, which names each problem."""
    if type(rh) is not dict:
        return None
    hid, region = rh.get("id"), rh.get("region")
    if not plain_text(hid) or hid in seen or type(region) is not str or region not in regions.COUNTIES:
        return None
    try:
        checked = rules_of(region).water is not None
    except MissingParameter:
        return None
    keys = rh.keys()
    if keys != _KEYS and (checked or keys != _KEYS_WITHOUT_WATER):
        return None
    income, grade, relocated = plain_hundredths(rh["annual_income"]), rh["housing_grade"], rh["relocated_keys"]
    if income is None or type(grade) is not str or grade not in HOUSING_GRADES or type(relocated) is not bool:
        return None
    water = _valid_water(rh["water"]) if checked else None
    raw_members = rh["members"]
    if (checked and water is None) or type(raw_members) is not list or not raw_members:
        return None
    members = []
    for rm in raw_members:
        member = _valid_member(rm)
        if member is None or member.id in seen_members:
            return None
        members.append(member)
    if len({m.id for m in members}) < len(members):
        return None
    seen.add(hid)
    for m in members:
        seen_members[m.id] = hid
    return ExitHousehold(hid, region, income, grade, relocated, water, tuple(members))


def _valid_water(raw: Any) -> Water | None:
    if type(raw) is not dict or raw.keys() != _WATER_KEYS:
        return None
    litres, minutes, days = plain_hundredths(raw["litres_per_day"]), raw["fetch_minutes"], raw["days_without_water"]
    quality, dry = raw["quality_ok"], raw["dry_area"]
    if litres is None or type(minutes) is not int or type(days) is not int or minutes < 0 or days < 0:
        return None
    if type(quality) is not bool or type(dry) is not bool:
        return None
    return Water(litres, minutes, days, quality, dry)


def _valid_member(rm: Any) -> ExitMember | None:
    if type(rm) is not dict or len(rm) != len(MEMBER_FIELDS):
        return None
    try:  # five keys, all of them present: exactly the member fields
        mid, in_school, exempt, insured = rm["id"], rm["in_school"], rm["school_exempt_health"], rm["medical_insured"]
        birth = plain_date(rm["birth_date"])
    except KeyError:
        return None
    if not plain_text(mid) or type(in_school) is not bool or type(exempt) is not bool or type(insured) is not bool:
        return None
    return None if birth is None else ExitMember(mid, birth, in_school, exempt, insured)
