"""困难残疾人生活补贴 ``disability_living`` (living subsidy for disabled people) — POLICY.md §4.

A member of a household receiving 低保 this month (never a 特困 person) who holds a second-generation
disability card gets ``allowances.disability_living.amount`` (50) a month. Stacks with the other
allowances.

Ambiguity resolved: the card alone qualifies; the disability grade is not checked (the seed says
"持第二代残疾证").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jingzhun.policy.calc import Line
from tests.policy.oracle.programs.dibao import is_dibao_member

if TYPE_CHECKING:
    from tests.policy.oracle.context import HouseholdMonth

PROGRAM = "disability_living"
NAME_ZH = "困难残疾人生活补贴"


def compute(ctx: HouseholdMonth) -> list[Line]:
    if not ctx.dibao.eligible:
        return []
    lines = []
    for member in ctx.household.members:
        if not is_dibao_member(ctx, member):
            continue
        c = ctx.dibao_member_calc()
        if not c.input("disability_card_gen2", member.disability_card_gen2):
            continue
        line = c.line(PROGRAM, member.id, c.number("allowances.disability_living.amount"))
        if line:
            lines.append(line)
    return lines
