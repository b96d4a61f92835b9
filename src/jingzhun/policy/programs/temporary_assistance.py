"""临时救助 ``temporary_assistance`` (temporary assistance) — POLICY.md §5 [default].

From the document's ``events`` (``{household, kind, amount_due, date}``); an event pays in the month
of its date.

* *emergency* (急难型, 先行救助): min(amount_due, ``cap_emergency``) at once (5000); the review follows
  within ``review_working_days`` (5).
* *expense* (支出型): ``expense_share`` (50 %) of the out-of-pocket cost above
  ``expense_income_threshold`` (20 %) of annual household income, capped at
  ``expense_cap_months`` (6) × S × household size, S the monthly 低保 standard.

Ambiguities resolved: caps apply per event; a household's events of one month are one line (the sum of
the exact event amounts, rounded once); household size counts every member (特困 persons too); neither
disqualification nor 低保 status is tested (the rule names none — 临时救助 is "兜底中的兜底"). Single path
only: the batch engine has no event frames.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING

from jingzhun.policy.calc import Line
from jingzhun.policy.vocabulary import PROGRAM_NAMES

if TYPE_CHECKING:
    from jingzhun.policy.context import HouseholdMonth

PROGRAM = "temporary_assistance"
NAME_ZH = PROGRAM_NAMES[PROGRAM]
RULE_ZH = "急难型先行救助，或支出型按超出家庭年收入一定比例部分的一半救助（有上限）"
LEVEL = "event"  # computed per household from the document's events (no frame column carries them)


def compute(ctx: HouseholdMonth) -> list[Line]:
    events = [e for e in ctx.document.events if e.household == ctx.household.id and ctx.in_month(e.date)]
    if not events:
        return []
    c = ctx.calc()
    c.input("annual_income", ctx.household.annual_income)
    size = c.input("household_size", len(ctx.household.members))
    c.input("events", [f"{e.date.isoformat()} {e.kind} {e.amount_due}" for e in events])
    total = Fraction(0)
    paid = []
    for event in events:
        if event.kind == "emergency":
            cap = c.number("temporary_assistance.cap_emergency")
            c.step("review_within_working_days", c.integer("temporary_assistance.review_working_days"))
            amount = min(event.amount_due, cap)
        else:
            c.step("monthly_standard_S", ctx.standard)
            threshold = c.number("temporary_assistance.expense_income_threshold") * ctx.household.annual_income
            excess = max(Fraction(0), event.amount_due - threshold)
            cap = c.number("temporary_assistance.expense_cap_months") * ctx.standard * size
            amount = min(c.number("temporary_assistance.expense_share") * excess, cap)
        paid.append(f"{event.date.isoformat()} {event.kind}: {amount} (cap {cap})")
        total += amount
    c.step("per_event", paid)
    line = c.line(PROGRAM, None, total, persons=size)
    return [line] if line else []


def sentence(steps: Mapping[str, object], params: Mapping[str, object], amount: str, persons: int) -> str:
    return f"临时救助 = 本月各次救助合计 = {amount} 元"
