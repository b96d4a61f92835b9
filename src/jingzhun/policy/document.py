"""The household document (POLICY.md §1): parse, validate, and collect every error before computing.

Bad input — unknown field, missing field, wrong type, bad date, duplicate ids, unknown region, negative
or fractional-fen money, bad enum — is collected, each message naming the household, the member and the
field in Chinese with the English key in brackets. A document with any error is not computed at all.

Top-level keys besides ``households`` (all optional):

* ``cpi``: ``{"YYYY-MM": {"all": "5.2", "food": "21.9"}}`` — year-on-year rise in percent (§5).
* ``history``: ``{person_id: [program ids already paid]}`` — for once-per-lifetime programs (§5).
* ``events``: ``[{household, kind: emergency|expense, amount_due, date}]`` — 临时救助 events; an event
  pays in the month of its date.
* ``support_payments``: ``[{household, parent, amount_paid, date}]`` — 孝亲敬老: support the children
  of ``household`` paid during the year to ``parent`` (a member id anywhere in the document), recorded
  at the Double Ninth assessment on ``date``.
"""

from __future__ import annotations

import datetime as dt
import re as regex
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from jingzhun.policy import regions
from jingzhun.policy.document_checks import _ISO_DATE, EARLIEST_DATE, ENUMS, shown
from jingzhun.policy.document_checks import Checker as _Checker
from jingzhun.policy.money import parse_decimal

HOUSEHOLD_FIELDS = {
    "id": "户编号",
    "region": "行政区划",
    "area": "城乡类别",
    "registered_poor": "建档立卡贫困户",
    "annual_income": "家庭年收入",
    "disqualified": "不予保障情形",
    "members": "家庭成员",
}
MEMBER_FIELDS = {
    "id": "成员编号",
    "birth_date": "出生日期",
    "disability_grade": "残疾等级",
    "disability_card_gen2": "持第二代残疾证",
    "needs_long_term_care": "需长期照护",
    "disabled_elder_certified": "经医院鉴定失能",
    "self_care": "自理能力",
    "labour": "劳动能力",
    "student": "在学情况",
    "serious_illness": "重病",
    "late_stage_major_disease": "重特大疾病晚期",
    "income_source": "有收入来源",
    "capable_supporter": "有履行能力的法定义务人",
    "care_setting": "供养方式",
}
EVENT_FIELDS = {"household": "户编号", "kind": "救助类型", "amount_due": "应救助金额", "date": "日期"}
SUPPORT_FIELDS = {"household": "户编号", "parent": "父母成员编号", "amount_paid": "赡养费", "date": "日期"}
TOP_FIELDS = {
    "households": "家庭列表",
    "cpi": "居民消费价格指数",
    "history": "已享受记录",
    "events": "临时救助事件",
    "support_payments": "赡养费记录",
}
PROGRAM_IDS = (
    "tekun_basic",
    "tekun_care",
    "dibao",
    "dibao_classified",
    "elderly_allowance",
    "disabled_elder_allowance",
    "disability_living",
    "disability_care",
    "price_subsidy",
    "major_illness_care",
    "temporary_assistance",
    "filial_reward",
    "income_gap_insurance",
)


class DocumentError(ValueError):
    """Every problem in a household document; nothing is computed."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(slots=True)
class Member:
    """One person of the document (not frozen: a frozen dataclass costs a ``setattr`` per field, and a
    county is hundreds of thousands of members)."""

    id: str
    birth_date: dt.date
    disability_grade: int | None
    disability_card_gen2: bool
    needs_long_term_care: bool
    disabled_elder_certified: bool
    self_care: str
    labour: str
    student: str
    serious_illness: bool
    late_stage_major_disease: bool
    income_source: bool
    capable_supporter: bool
    care_setting: str


@dataclass(slots=True)
class Household:
    id: str
    region: str
    area: str
    registered_poor: bool
    annual_income: Fraction
    disqualified: tuple[str, ...]
    members: tuple[Member, ...]


@dataclass(frozen=True)
class Cpi:
    all_items: Fraction
    food: Fraction


@dataclass(frozen=True)
class Event:
    household: str
    kind: str
    amount_due: Fraction
    date: dt.date


@dataclass(frozen=True)
class SupportPayment:
    household: str
    parent: str
    amount_paid: Fraction
    date: dt.date


@dataclass(frozen=True)
class Document:
    households: tuple[Household, ...]
    cpi: Mapping[str, Cpi] = field(default_factory=dict)
    history: Mapping[str, frozenset[str]] = field(default_factory=dict)
    events: tuple[Event, ...] = ()
    support_payments: tuple[SupportPayment, ...] = ()


MAX_HOUSEHOLD_SIZE = 50
MAX_ID_LENGTH = 64


def parse_document(
    raw: Any, month_end: dt.date | None = None, *, max_household_size: int = MAX_HOUSEHOLD_SIZE
) -> Document:
    """Validate a decoded YAML/JSON document; raise :class:`DocumentError` with every problem found.

    ``month_end`` (the last day of the computation month), when given, rejects births after it. A household
    of more than ``max_household_size`` members is refused (``JINGZHUN_MAX_HOUSEHOLD_SIZE`` for the CLI).
    """
    c = _Checker()
    if not isinstance(raw, dict):
        raise DocumentError(["文档应为映射，至少包含 households [households]"])
    for key in raw:
        if key not in TOP_FIELDS:
            c.fail(None, None, str(key), "未知字段", "未知字段 (unknown field)")
    raw_households = raw.get("households")
    if not isinstance(raw_households, list) or not raw_households:
        c.fail(None, None, "households", TOP_FIELDS["households"], "应为非空列表")
        raw_households = []
    households: list[Household] = []
    seen_households: set[str] = set()
    seen_members: dict[str, str] = {}
    for index, rh in enumerate(raw_households, start=1):
        household = _household(c, rh, index, seen_households, seen_members, month_end, max_household_size)
        if household is not None:
            households.append(household)
    cpi = _cpi(c, raw.get("cpi"))
    members = {m.id for h in households for m in h.members}
    history = _history(c, raw.get("history"), members)
    events = _events(c, raw.get("events"), seen_households)
    support = _support(c, raw.get("support_payments"), seen_households, members)
    if c.errors:
        raise DocumentError(c.errors)
    return Document(tuple(households), cpi, history, events, support)


def _household(
    c: _Checker,
    rh: Any,
    index: int,
    seen: set[str],
    seen_members: dict[str, str],
    month_end: dt.date | None,
    max_size: int,
) -> Household | None:
    raw_id = rh.get("id") if isinstance(rh, dict) else None
    hid = (
        raw_id if isinstance(raw_id, str) and raw_id.strip() and len(raw_id) <= MAX_ID_LENGTH else f"（第 {index} 户）"
    )
    if isinstance(raw_id, str) and len(raw_id) > MAX_ID_LENGTH:
        c.fail(hid, None, "id", HOUSEHOLD_FIELDS["id"], f"户编号过长（最多 {MAX_ID_LENGTH} 个字符）: {shown(raw_id)}")
    if not c.mapping(rh, HOUSEHOLD_FIELDS, hid, None, f"第 {index} 户"):
        return None
    if c.text(rh.get("id"), hid, None, "id", HOUSEHOLD_FIELDS["id"]) is not None:
        if hid in seen:
            c.fail(hid, None, "id", HOUSEHOLD_FIELDS["id"], "户编号重复 (duplicate id)")
        seen.add(hid)
    region = rh.get("region")
    if not isinstance(region, str) or region not in regions.COUNTIES:
        c.fail(
            hid,
            None,
            "region",
            HOUSEHOLD_FIELDS["region"],
            f"未知区划代码（须为县级 GB/T 2260 代码字符串）: {shown(region)}",
        )
        region = regions.COUNTIES[0]
    area = c.enum(rh.get("area"), hid, None, "area", HOUSEHOLD_FIELDS["area"])
    registered_poor = c.boolean(rh.get("registered_poor"), hid, None, "registered_poor", "建档立卡贫困户")
    raw_income = rh.get("annual_income")
    plain = _PLAIN_MONEY.match(raw_income) if type(raw_income) is str else None
    if plain is not None:  # the usual "1234.56": no Fraction comparisons (the checked path words the rest)
        whole, cents = plain.group(1), plain.group(2) or ""
        income = Fraction(int(whole + cents), 10 ** len(cents))
    else:
        income = c.money(raw_income, hid, None, "annual_income", HOUSEHOLD_FIELDS["annual_income"])
    raw_disq = rh.get("disqualified")
    disqualified: list[str] = []
    if not isinstance(raw_disq, list):
        c.fail(hid, None, "disqualified", HOUSEHOLD_FIELDS["disqualified"], f"应为列表，得到 {shown(raw_disq)}")
    else:
        disqualified = [c.enum(d, hid, None, "disqualified", HOUSEHOLD_FIELDS["disqualified"]) for d in raw_disq]
    raw_members = rh.get("members")
    members: list[Member] = []
    if not isinstance(raw_members, list) or not raw_members:
        c.fail(hid, None, "members", HOUSEHOLD_FIELDS["members"], "应为非空列表")
    elif len(raw_members) > max_size:
        c.fail(
            hid, None, "members", HOUSEHOLD_FIELDS["members"], f"家庭成员 {len(raw_members)} 人，超过上限 {max_size} 人"
        )
    else:
        for m_index, rm in enumerate(raw_members, start=1):
            member = _plain_member(hid, rm, seen_members, month_end)
            if member is None:
                member = _member(c, hid, rm, m_index, seen_members, month_end)
            if member is not None:
                members.append(member)
    return Household(hid, region, area, registered_poor, income, tuple(disqualified), tuple(members))


_PLAIN_MONEY = regex.compile(r"^([0-9]{1,15})(?:\.([0-9]{1,2}))?$", regex.ASCII)
_MEMBER_KEYS = MEMBER_FIELDS.keys()


def _plain_member(hid: str, rm: Any, seen: dict[str, str], month_end: dt.date | None) -> Member | None:
    """A member every field of which is plainly valid, without building any message; ``None`` for
    anything else, which :func:`_member` then checks field by field (and words)."""
    if type(rm) is not dict or rm.keys() != _MEMBER_KEYS:
        return None
    mid, birth, grade = rm["id"], rm["birth_date"], rm["disability_grade"]
    if type(mid) is not str or not mid.strip() or len(mid) > MAX_ID_LENGTH or mid in seen:
        return None
    if type(birth) is str:
        if not _ISO_DATE.match(birth):
            return None
        try:
            birth = dt.date.fromisoformat(birth)
        except ValueError:
            return None
    elif type(birth) is not dt.date:
        return None
    if birth < EARLIEST_DATE or (month_end is not None and birth > month_end):
        return None
    if grade is not None and (type(grade) is not int or not 1 <= grade <= 4):
        return None
    for key in _BOOL_MEMBER_FIELDS:
        if type(rm[key]) is not bool:
            return None
    for key in _ENUM_MEMBER_FIELDS:
        value = rm[key]
        if type(value) is not str or value not in _ENUM_SETS[key]:
            return None
    seen[mid] = hid
    return Member(
        mid,
        birth,
        grade,
        rm["disability_card_gen2"],
        rm["needs_long_term_care"],
        rm["disabled_elder_certified"],
        rm["self_care"],
        rm["labour"],
        rm["student"],
        rm["serious_illness"],
        rm["late_stage_major_disease"],
        rm["income_source"],
        rm["capable_supporter"],
        rm["care_setting"],
    )


def _member(
    c: _Checker, hid: str, rm: Any, index: int, seen: dict[str, str], month_end: dt.date | None
) -> Member | None:
    raw_id = rm.get("id") if isinstance(rm, dict) else None
    mid = (
        raw_id if isinstance(raw_id, str) and raw_id.strip() and len(raw_id) <= MAX_ID_LENGTH else f"（第 {index} 人）"
    )
    if isinstance(raw_id, str) and len(raw_id) > MAX_ID_LENGTH:
        c.fail(hid, mid, "id", MEMBER_FIELDS["id"], f"成员编号过长（最多 {MAX_ID_LENGTH} 个字符）: {shown(raw_id)}")
    if not c.mapping(rm, MEMBER_FIELDS, hid, mid, f"户 {hid}，第 {index} 人"):
        return None
    if c.text(rm.get("id"), hid, mid, "id", MEMBER_FIELDS["id"]) is not None:
        if mid in seen:
            c.fail(hid, mid, "id", MEMBER_FIELDS["id"], f"成员编号重复（已在户 {seen[mid]} 中）(duplicate id)")
        seen[mid] = hid
    birth = c.date(rm.get("birth_date"), hid, mid, "birth_date", MEMBER_FIELDS["birth_date"])
    if month_end is not None and birth > month_end:
        c.fail(hid, mid, "birth_date", MEMBER_FIELDS["birth_date"], f"出生日期晚于计算月份: {birth.isoformat()}")
    grade = rm.get("disability_grade")
    if grade is not None and (isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 4):
        c.fail(
            hid, mid, "disability_grade", MEMBER_FIELDS["disability_grade"], f"应为 1–4 或 null，得到 {shown(grade)}"
        )
        grade = None

    values: dict[str, Any] = {}
    for key in _BOOL_MEMBER_FIELDS:
        value = rm.get(key)
        values[key] = value if type(value) is bool else c.boolean(value, hid, mid, key, MEMBER_FIELDS[key])
    for key in _ENUM_MEMBER_FIELDS:
        value = rm.get(key)
        plain = type(value) is str and value in _ENUM_SETS[key]
        values[key] = value if plain else c.enum(value, hid, mid, key, MEMBER_FIELDS[key])
    return Member(id=mid, birth_date=birth, disability_grade=grade, **values)


_BOOL_MEMBER_FIELDS = (
    "disability_card_gen2",
    "needs_long_term_care",
    "disabled_elder_certified",
    "serious_illness",
    "late_stage_major_disease",
    "income_source",
    "capable_supporter",
)
_ENUM_MEMBER_FIELDS = ("self_care", "labour", "student", "care_setting")
_ENUM_SETS = {key: frozenset(ENUMS[key]) for key in _ENUM_MEMBER_FIELDS}


def _cpi(c: _Checker, raw: Any) -> dict[str, Cpi]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        c.fail(None, None, "cpi", TOP_FIELDS["cpi"], '应为 {"YYYY-MM": {all, food}} 映射')
        return {}
    out: dict[str, Cpi] = {}
    for month, entry in raw.items():
        label = f"{TOP_FIELDS['cpi']} {month}"
        if not isinstance(month, str) or parse_month_or_none(month) is None:
            c.fail(None, None, "cpi", label, f"月份应为 YYYY-MM: {shown(month)}")
            continue
        if not isinstance(entry, dict) or set(entry) != {"all", "food"}:
            c.fail(None, None, "cpi", label, '应为 {all: "涨幅%", food: "涨幅%"}')
            continue
        values = []
        for key in ("all", "food"):
            value = entry[key]
            try:
                if isinstance(value, bool) or not isinstance(value, str | int):
                    raise ValueError
                values.append(parse_decimal(str(value)))
            except ValueError:
                c.fail(None, None, "cpi", f"{label} {key}", f"应为十进制字符串（百分点），得到 {shown(value)}")
                values.append(Fraction(0))
        out[month] = Cpi(values[0], values[1])
    return out


def _history(c: _Checker, raw: Any, members: set[str]) -> dict[str, frozenset[str]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        c.fail(None, None, "history", TOP_FIELDS["history"], "应为 {成员编号: [项目]} 映射")
        return {}
    out: dict[str, frozenset[str]] = {}
    for person, programs in raw.items():
        if not isinstance(programs, list) or not all(isinstance(p, str) and p in PROGRAM_IDS for p in programs):
            c.fail(None, str(person), "history", TOP_FIELDS["history"], f"应为项目编号列表（{', '.join(PROGRAM_IDS)}）")
            continue
        if person not in members:
            c.fail(
                None,
                str(person)[:MAX_ID_LENGTH],
                "history",
                TOP_FIELDS["history"],
                "已享受记录中的成员编号不在文档中 (unknown member)",
            )
            continue
        out[str(person)] = frozenset(programs)
    return out


def _events(c: _Checker, raw: Any, households: set[str]) -> tuple[Event, ...]:
    out: list[Event] = []
    for index, re in enumerate(_list(c, raw, "events"), start=1):
        hid = re.get("household") if isinstance(re, dict) else None
        hid = hid if isinstance(hid, str) else f"（第 {index} 个事件）"
        if not c.mapping(re, EVENT_FIELDS, hid, None, f"临时救助事件 {index}"):
            continue
        if hid not in households:
            c.fail(hid, None, "household", EVENT_FIELDS["household"], "临时救助事件指向的户不在文档中")
        kind = c.enum(re.get("kind"), hid, None, "kind", EVENT_FIELDS["kind"])
        due = c.money(re.get("amount_due"), hid, None, "amount_due", EVENT_FIELDS["amount_due"])
        day = c.date(re.get("date"), hid, None, "date", EVENT_FIELDS["date"])
        out.append(Event(hid, kind, due, day))
    return tuple(out)


def _support(c: _Checker, raw: Any, households: set[str], members: set[str]) -> tuple[SupportPayment, ...]:
    out: list[SupportPayment] = []
    for index, rs in enumerate(_list(c, raw, "support_payments"), start=1):
        hid = rs.get("household") if isinstance(rs, dict) else None
        hid = hid if isinstance(hid, str) else f"（第 {index} 条赡养费记录）"
        if not c.mapping(rs, SUPPORT_FIELDS, hid, None, f"赡养费记录 {index}"):
            continue
        if hid not in households:
            c.fail(hid, None, "household", SUPPORT_FIELDS["household"], "赡养费记录指向的户不在文档中")
        parent = rs.get("parent")
        if not isinstance(parent, str) or parent not in members:
            c.fail(hid, None, "parent", SUPPORT_FIELDS["parent"], f"父母须为文档中的成员编号，得到 {shown(parent)}")
            parent = ""
        paid = c.money(rs.get("amount_paid"), hid, None, "amount_paid", SUPPORT_FIELDS["amount_paid"])
        day = c.date(rs.get("date"), hid, None, "date", SUPPORT_FIELDS["date"])
        out.append(SupportPayment(hid, parent, paid, day))
    return tuple(out)


def _list(c: _Checker, raw: Any, key: str) -> list[Any]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        c.fail(None, None, key, TOP_FIELDS[key], "应为列表")
        return []
    return raw


def parse_month_or_none(text: str) -> dt.date | None:
    """``"2020-06"`` → 2020-06-01, or None."""
    if len(text) != 7 or text[4] != "-":
        return None
    try:
        return dt.date(int(text[:4]), int(text[5:]), 1)
    except ValueError:
        return None
