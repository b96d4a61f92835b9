"""最低生活保障·补差 ``dibao`` (minimum living guarantee top-up) — POLICY.md §3.

The 低保 household is the members who are not 特困 persons; *n* is their number. With
*S* = ``dibao.standard.<area>`` / 12 (monthly standard) and *y* = annual_income / 12 / *n* (per-capita
monthly income), the household is eligible when it is not disqualified, n ≥ 1 and y < S, and receives
(S − y) × n. An eligible household "receives 低保 this month" for the allowances and the price subsidy
whatever its rounded amount (even 0.00).

Ambiguity resolved: the household's whole counted income is divided among the n non-特困 members only
(the 特困 person's own support is not household income, and they are not counted).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from jingzhun.policy.calc import Calc, Line
from jingzhun.policy.document import Household, Member
from jingzhun.policy.params import Resolved

if TYPE_CHECKING:
    from tests.policy.oracle.context import DibaoTest, HouseholdMonth

PROGRAM = "dibao"
NAME_ZH = "低保补差"


def dibao_test(params: Mapping[str, Resolved], household: Household, tekun_ids: set[str]) -> DibaoTest:
    """The household test, run quietly; run again recording only for a household that receives 低保
    (the recorded steps explain its ``dibao`` line)."""
    test = _dibao_test(Calc(params, quiet=True), household, tekun_ids)
    return _dibao_test(Calc(params), household, tekun_ids) if test.eligible else test


def _dibao_test(c: Calc, household: Household, tekun_ids: set[str]) -> DibaoTest:
    from tests.policy.oracle.context import DibaoTest

    members = tuple(m for m in household.members if m.id not in tekun_ids)
    c.input("area", household.area)
    c.input("annual_income", household.annual_income)
    c.input("disqualified", list(household.disqualified))
    c.input("members", len(household.members))
    c.input("tekun_members_left_out", sorted(tekun_ids))
    n = c.step("n", len(members))
    annual = c.number(f"dibao.standard.{household.area}")
    # y < S, i.e. annual_income / 12 / n < standard / 12, is annual_income < standard × n (n ≥ 1).
    eligible = not household.disqualified and n >= 1 and household.annual_income < annual * n
    test = DibaoTest(c, members, n, annual, eligible)
    if not c.quiet:
        c.step("monthly_standard_S", test.standard)
        if n >= 1:
            c.step("per_capita_monthly_income_y", household.annual_income / 12 / n)
        c.step("receives_dibao", eligible)
    return test


def is_dibao_member(ctx: HouseholdMonth, member: Member) -> bool:
    """A member of a household receiving 低保 this month (never a 特困 person, §4)."""
    return ctx.dibao.eligible and member.id not in ctx.tekun


def compute(ctx: HouseholdMonth) -> list[Line]:
    test = ctx.dibao
    if not test.eligible:
        return []
    c = test.calc.fork()
    income = ctx.household.annual_income
    line = c.line(PROGRAM, None, (test.standard - income / 12 / test.n) * test.n, persons=test.n)
    return [line] if line else []
