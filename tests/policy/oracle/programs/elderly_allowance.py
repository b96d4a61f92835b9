"""高龄补贴 ``elderly_allowance`` (old-age allowance) — POLICY.md §4.

A member of a household receiving 低保 this month (never a 特困 person) aged ``min_age`` ≤ age ≤
``max_age`` (80–99) gets ``allowances.elderly.amount`` (30) a month. Age is completed years on the
first of the month, so it starts the month after the 80th birthday (the same month if born on the 1st).
Stacks with the other allowances.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jingzhun.policy.calc import Line
from tests.policy.oracle.programs.dibao import is_dibao_member

if TYPE_CHECKING:
    from tests.policy.oracle.context import HouseholdMonth

PROGRAM = "elderly_allowance"
NAME_ZH = "高龄补贴"


def compute(ctx: HouseholdMonth) -> list[Line]:
    if not ctx.dibao.eligible:
        return []
    lines = []
    for member in ctx.household.members:
        if not is_dibao_member(ctx, member):
            continue
        c = ctx.dibao_member_calc()
        c.input("birth_date", member.birth_date)
        age = c.step("age", ctx.ages[member.id])
        low, high = c.integer("allowances.elderly.min_age"), c.integer("allowances.elderly.max_age")
        if not c.step("age_in_range", low <= age <= high):
            continue
        line = c.line(PROGRAM, member.id, c.number("allowances.elderly.amount"))
        if line:
            lines.append(line)
    return lines
