"""特困人员救助供养·基本生活费 ``tekun_basic`` (extreme-poverty support, basic living) — POLICY.md §2.

A person is a 特困 person when **all** hold: the household is not disqualified; the person has no own
source of income; no legal supporter able to support them; and they are elderly (age ≥
``tekun.eligibility.elderly_age``), a minor (age < ``tekun.eligibility.minor_age``), disability grade
1–2, or without labour capacity. A 特困 person is left out of the 低保 household and receives
``tekun.basic.<area>[care_setting] / 12`` a month.

Ambiguity resolved: the 特困 test is per person, but "not disqualified" reads the household's list
(the document records disqualifying conditions per household).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jingzhun.policy.calc import Calc, Line
from jingzhun.policy.document import Household, Member

if TYPE_CHECKING:
    from tests.policy.oracle.context import HouseholdMonth

PROGRAM = "tekun_basic"
NAME_ZH = "特困人员基本生活费"


def tekun_test(c: Calc, household: Household, member: Member, age: int) -> bool:
    """Record the four conditions and return whether the member is a 特困 person."""
    c.input("disqualified", list(household.disqualified))
    c.input("income_source", member.income_source)
    c.input("capable_supporter", member.capable_supporter)
    if household.disqualified or member.income_source or member.capable_supporter:
        return c.step("tekun_person", False)
    c.input("birth_date", member.birth_date)
    c.input("disability_grade", member.disability_grade)
    c.input("labour", member.labour)
    c.step("age", age)
    elderly = age >= c.integer("tekun.eligibility.elderly_age")
    minor = age < c.integer("tekun.eligibility.minor_age")
    conditions = (
        ("elderly", elderly),
        ("minor", minor),
        ("severe_disability", member.disability_grade in (1, 2)),
        ("no_labour", member.labour == "none"),
    )
    reasons = [name for name, hit in conditions if hit]
    c.step("tekun_conditions", reasons)
    return c.step("tekun_person", bool(reasons))


def compute(ctx: HouseholdMonth) -> list[Line]:
    lines = []
    for member in ctx.household.members:
        if member.id not in ctx.tekun:
            continue
        c = ctx.tekun[member.id].fork()
        area = c.input("area", ctx.household.area)
        setting = c.input("care_setting", member.care_setting)
        annual = c.step("annual_standard", c.number(f"tekun.basic.{area}", setting))
        line = c.line(PROGRAM, member.id, annual / 12)
        if line:
            lines.append(line)
    return lines
