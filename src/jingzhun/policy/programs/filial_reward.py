"""孝亲敬老奖励 ``filial_reward`` (filial-piety reward, Double Ninth) — POLICY.md §5 [seed].

Children who pay support to parents aged ≥ ``parent_min_age`` (60) get ``reward_per_step`` (200) per
full ``step`` (1000) paid, at most ``cap`` (400) per household: min(floor(paid / 1000) × 200, 400).

Input: the document's ``support_payments`` (``{household, parent, amount_paid, date}``): the support the
children of ``household`` paid during the year to ``parent`` (a member id anywhere in the document),
recorded at the Double Ninth assessment on ``date``. Yearly: all of a household's records dated in one
calendar year count together, and the reward is paid once, in the month of the latest of those dates;
the parent's age is taken on the first of that month. Single path only (no event frames in batch).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING

from jingzhun.policy.calc import Line
from jingzhun.policy.context import age_on
from jingzhun.policy.rules import yuan_text
from jingzhun.policy.vocabulary import PROGRAM_NAMES

if TYPE_CHECKING:
    from jingzhun.policy.context import HouseholdMonth

PROGRAM = "filial_reward"
NAME_ZH = PROGRAM_NAMES[PROGRAM]
RULE_ZH = "子女每赡养老人满 1000 元奖励 200 元，每户最多 400 元"
LEVEL = "event"  # computed per household from the document's support_payments


def pays_this_month(ctx: HouseholdMonth) -> bool:
    year = [
        p for p in ctx.document.support_payments if p.household == ctx.household.id and p.date.year == ctx.month.year
    ]
    return bool(year) and ctx.in_month(max(p.date for p in year))


def compute(ctx: HouseholdMonth) -> list[Line]:
    if not pays_this_month(ctx):
        return []
    year = [
        p for p in ctx.document.support_payments if p.household == ctx.household.id and p.date.year == ctx.month.year
    ]
    c = ctx.calc()
    min_age = c.integer("filial_reward.parent_min_age")
    counted = Fraction(0)
    records = []
    for payment in year:
        age = age_on(ctx.people[payment.parent].birth_date, ctx.month)
        records.append(f"{payment.date.isoformat()} {payment.parent} (age {age}): {payment.amount_paid}")
        if age >= min_age:
            counted += payment.amount_paid
    c.input("support_payments", records)
    c.step("paid_to_parents_of_age", counted)
    steps = c.step("full_steps", int(counted // c.number("filial_reward.step")))
    uncapped = c.step("uncapped", steps * c.number("filial_reward.reward_per_step"))
    line = c.line(PROGRAM, None, min(uncapped, c.number("filial_reward.cap")))
    return [line] if line else []


def sentence(steps: Mapping[str, object], params: Mapping[str, object], amount: str, persons: int) -> str:
    per_step, cap = params.get("filial_reward.reward_per_step"), params.get("filial_reward.cap")
    return f"孝亲敬老奖励 = min({steps.get('full_steps')} × {yuan_text(per_step)}, {yuan_text(cap)}) = {amount} 元"
