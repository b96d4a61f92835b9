"""大病关怀救助 ``major_illness_care`` (major-illness care) — POLICY.md §5 [seed].

A member of a registered-poor (建档立卡) household in the late stage of one of the 24 major diseases
gets ``major_illness_care.amount`` (5000) once per lifetime, whether or not the household receives
低保 (disqualification does not apply). The document's ``history`` carries the past: a person whose
history holds ``major_illness_care`` gets nothing.

Ambiguity resolved: 特困 persons of a registered-poor household qualify too (they are members of the
registered household even though they are left out of the 低保 household). The line is paid in the
month computed; recording it in ``history`` (the ledger's job) prevents paying it again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jingzhun.policy.calc import Line

if TYPE_CHECKING:
    from tests.policy.oracle.context import HouseholdMonth

PROGRAM = "major_illness_care"
NAME_ZH = "大病关怀救助"


def compute(ctx: HouseholdMonth) -> list[Line]:
    if not ctx.household.registered_poor:
        return []
    lines = []
    for member in ctx.household.members:
        if not member.late_stage_major_disease:
            continue
        c = ctx.calc()
        c.input("registered_poor", True)
        c.input("late_stage_major_disease", True)
        paid_before = c.step("paid_before", PROGRAM in ctx.document.history.get(member.id, frozenset()))
        if paid_before:
            continue
        line = c.line(PROGRAM, member.id, c.number("major_illness_care.amount"))
        if line:
            lines.append(line)
    return lines
