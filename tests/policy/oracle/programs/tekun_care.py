"""特困人员照料护理费 ``tekun_care`` (care fee for 特困 persons) — POLICY.md §2.

Each 特困 person (see ``tekun_basic``) receives ``tekun.care_fee[care_setting][self_care] / 12`` a
month. The fee is 0 before 2018-01-01 (the source calls it 新增, new), so no line is written then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jingzhun.policy.calc import Line

if TYPE_CHECKING:
    from tests.policy.oracle.context import HouseholdMonth

PROGRAM = "tekun_care"
NAME_ZH = "特困人员照料护理费"


def compute(ctx: HouseholdMonth) -> list[Line]:
    lines = []
    for member in ctx.household.members:
        if member.id not in ctx.tekun:
            continue
        c = ctx.tekun[member.id].fork()
        setting = c.input("care_setting", member.care_setting)
        self_care = c.input("self_care", member.self_care)
        annual = c.step("annual_fee", c.number("tekun.care_fee", setting, self_care))
        line = c.line(PROGRAM, member.id, annual / 12)
        if line:
            lines.append(line)
    return lines
