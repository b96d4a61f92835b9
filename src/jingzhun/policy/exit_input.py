"""The exit document (POLICY.md §8): parse and validate it, collecting every error before any check.

Bad input — unknown or missing field, wrong type, bad date, duplicate household id, a member id used twice
in the document, a household with no members, negative money or money with more than two places, floats,
a housing grade outside A–D, an unknown county — is reported by household, member and field in Chinese
with the English key in brackets. ``water`` is required only in years whose rules check it; before, it
may be left out and is ignored, not validated.

Valid households take a fast path without per-field checks (a county has 100 000); anything odd goes
through the checked path, which names it. Tests compare the two paths on every single-field corruption.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
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
from jingzhun.policy.params import MissingParameter

HOUSING_GRADES = ("A", "B", "C", "D")

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


def parse_exit_document(
    raw: Any, year: int, water_checked_in: Callable[[str], bool], fast: bool = True
) -> list[ExitHousehold]:
    """Every household, or :class:`CheckInputError` with every problem (and any 无参数 for the year).

    ``water_checked_in(region)`` says whether water is a criterion there in ``year``; it raises
    :class:`MissingParameter` when the year has no parameter value (reported once per message).

    ``fast=False`` sends every household through the checked path (tests compare the two)."""
    c = FieldChecker()
    missing: list[str] = []
    households: list[ExitHousehold] = []
    seen: set[str] = set()
    seen_members: dict[str, str] = {}
    for index, rh in enumerate(households_list(c, raw, {"households": "家庭列表"}), start=1):
        valid = _valid_household(rh, water_checked_in, seen, seen_members) if fast else None
        if valid is not None:
            households.append(valid)
            continue
        hid = household_id(rh, index)
        water_checked = False
        region = rh.get("region") if isinstance(rh, dict) else None
        known = region if isinstance(region, str) and region in regions.COUNTIES else regions.NATIONAL
        try:
            water_checked = water_checked_in(known)
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
    rh: Any, water_checked_in: Callable[[str], bool], seen: set[str], seen_members: dict[str, str]
) -> ExitHousehold | None:
    """The common case — every field valid — without per-field checks (a county has 100 000 households).
    ``None`` sends the household through the checked path, which names each problem."""
    if type(rh) is not dict:
        return None
    hid, region = rh.get("id"), rh.get("region")
    if not plain_text(hid) or hid in seen or type(region) is not str or region not in regions.COUNTIES:
        return None
    try:
        checked = water_checked_in(region)
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
