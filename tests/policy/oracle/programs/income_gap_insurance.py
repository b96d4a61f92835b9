"""一保通·脱贫返贫保险 ``income_gap_insurance`` (return-to-poverty insurance, 交口县 model) — POLICY.md §6.

Annual: when a household's per-capita annual income is below the poverty line of the year, the insurance
pays (line − per-capita income) × household size = line × size − annual income.

How it appears in a month computation: only when computing **December**, as one household line for the
year, with the line in force on 1 December (the year's line). Other months show nothing.

Ambiguities resolved: only where ``insurance.income_gap.enabled`` is true (交口县 from 2018 [seed]; the
product is that county's); only rural households (the seed: "全县农户统一参保", farm households); every
member counts in the household size (特困 persons too); disqualification does not apply (it is an
insurance claim, not assistance).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jingzhun.policy.calc import Line

if TYPE_CHECKING:
    from tests.policy.oracle.context import HouseholdMonth

PROGRAM = "income_gap_insurance"
NAME_ZH = "脱贫返贫保险"
PAY_MONTH = 12


def compute(ctx: HouseholdMonth) -> list[Line]:
    if ctx.month.month != PAY_MONTH:
        return []
    c = ctx.calc()
    if not c.flag("insurance.income_gap.enabled"):
        return []
    if c.input("area", ctx.household.area) != "rural":
        return []
    income = c.input("annual_income", ctx.household.annual_income)
    size = c.input("household_size", len(ctx.household.members))
    line_value = c.number("poverty_line")
    per_capita = c.step("per_capita_annual_income", income / size)
    if not c.step("below_line", per_capita < line_value):
        return []
    line = c.line(PROGRAM, None, (line_value - per_capita) * size, persons=size)
    return [line] if line else []
