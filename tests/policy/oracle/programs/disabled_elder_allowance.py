"""失能老人补贴 ``disabled_elder_allowance`` (allowance for certified disabled elders) — POLICY.md §4.

A member of a household receiving 低保 this month (never a 特困 person), aged ``min_age`` ≤ age ≤
``max_age`` (60–99), certified 失能 by a hospital, gets ``allowances.disabled_elder.amount`` (60) a
month. Stacks with the other allowances.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jingzhun.policy.calc import Line
from tests.policy.oracle.programs.dibao import is_dibao_member

if TYPE_CHECKING:
    from tests.policy.oracle.context import HouseholdMonth

PROGRAM = "disabled_elder_allowance"
NAME_ZH = "失能老人补贴"


def compute(ctx: HouseholdMonth) -> list[Line]:
    if not ctx.dibao.eligible:
        return []
    lines = []
    for member in ctx.household.members:
        if not is_dibao_member(ctx, member):
            continue
        c = ctx.dibao_member_calc()
        if not c.input("disabled_elder_certified", member.disabled_elder_certified):
            continue
        c.input("birth_date", member.birth_date)
        age = c.step("age", ctx.ages[member.id])
        low, high = c.integer("allowances.disabled_elder.min_age"), c.integer("allowances.disabled_elder.max_age")
        if not c.step("age_in_range", low <= age <= high):
            continue
        line = c.line(PROGRAM, member.id, c.number("allowances.disabled_elder.amount"))
        if line:
            lines.append(line)
    return lines
