"""分类施保 ``dibao_classified`` (classified supplement) — POLICY.md §3.

Each member of a household receiving 低保 this month (特困 persons are not in it) gets
rate × S for the **single highest** category that applies: disability grade 1–2 or serious illness
(``rate_severe``), grade 3–4 (``rate_disability``), age ≥ ``elderly_age`` (``rate_elderly``),
age < ``minor_age`` (``rate_minor``). When ``registered_poor_only`` is true only registered-poor
(建档立卡) households get it.

Ambiguities resolved: equal rates tie to the first category in the order above (the amount is the same);
``registered_poor_only`` applies to urban as well as rural 低保 households (the seed speaks of rural 低保,
and the flag is a parameter a region can change).
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from jingzhun.policy.calc import Line

if TYPE_CHECKING:
    from tests.policy.oracle.context import HouseholdMonth

PROGRAM = "dibao_classified"
NAME_ZH = "分类施保"


def compute(ctx: HouseholdMonth) -> list[Line]:
    test = ctx.dibao
    if not test.eligible:
        return []
    base = ctx.dibao_member_calc()
    registered_poor = base.input("registered_poor", ctx.household.registered_poor)
    if base.flag("dibao.classified.registered_poor_only") and not registered_poor:
        return []
    lines = []
    amounts: dict[Fraction, Fraction] = {}
    for member in test.members:
        c = base.fork()
        age = c.step("age", ctx.ages[member.id])
        grade = c.input("disability_grade", member.disability_grade)
        illness = c.input("serious_illness", member.serious_illness)
        c.input("birth_date", member.birth_date)
        categories = []
        if grade in (1, 2) or illness:
            categories.append(("severe", c.number("dibao.classified.rate_severe")))
        if grade in (3, 4):
            categories.append(("disability", c.number("dibao.classified.rate_disability")))
        if age >= c.integer("dibao.classified.elderly_age"):
            categories.append(("elderly", c.number("dibao.classified.rate_elderly")))
        if age < c.integer("dibao.classified.minor_age"):
            categories.append(("minor", c.number("dibao.classified.rate_minor")))
        if not categories:
            continue
        c.step("categories", [name for name, _ in categories])
        name, rate = max(categories, key=lambda item: item[1])
        c.step("category", name)
        c.step("rate", rate)
        if rate not in amounts:
            amounts[rate] = rate * test.standard
        line = c.line(PROGRAM, member.id, amounts[rate])
        if line:
            lines.append(line)
    return lines
