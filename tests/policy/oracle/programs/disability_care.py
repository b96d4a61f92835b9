"""重度残疾人护理补贴 ``disability_care`` (care subsidy for severely disabled people) — POLICY.md §4.

A person with disability grade 1–2 who needs long-term care gets ``allowances.disability_care.amount``
(50) a month. There is no income test and disqualification does not apply; a 特困 person does not get
it (their care is paid as ``tekun_care``). Stacks with the other allowances. (The 2019 move of payment
from 残联 to 民政 changes the paying agency, not the amount.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jingzhun.policy.calc import Line

if TYPE_CHECKING:
    from tests.policy.oracle.context import HouseholdMonth

PROGRAM = "disability_care"
NAME_ZH = "重度残疾人护理补贴"


def compute(ctx: HouseholdMonth) -> list[Line]:
    lines = []
    for member in ctx.household.members:
        if member.disability_grade not in (1, 2) or not member.needs_long_term_care:
            continue
        c = ctx.calc()
        grade = c.input("disability_grade", member.disability_grade)
        care = c.input("needs_long_term_care", member.needs_long_term_care)
        tekun = c.step("tekun_person", member.id in ctx.tekun)
        if grade not in (1, 2) or not care or tekun:
            continue
        line = c.line(PROGRAM, member.id, c.number("allowances.disability_care.amount"))
        if line:
            lines.append(line)
    return lines
