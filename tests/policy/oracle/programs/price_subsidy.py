"""价格临时补贴 ``price_subsidy`` (temporary price subsidy) — POLICY.md §5 [national].

The document's ``cpi`` entry for the computation month gives the year-on-year rise in percent. Rate =
the all-items rise if it is ≥ ``all_items_threshold`` (3.5); otherwise the food rise if it is ≥
``food_threshold`` (6); otherwise no subsidy. Each member (not 特困) of a household receiving 低保 this
month, and each 特困 person, gets S × rate / 100, S being the monthly 低保 standard of the household's
area and region.

Ambiguity resolved: a month without a ``cpi`` entry pays no subsidy (the mechanism is not triggered),
and then the threshold parameters are not needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jingzhun.policy.calc import Line

if TYPE_CHECKING:
    from tests.policy.oracle.context import HouseholdMonth

PROGRAM = "price_subsidy"
NAME_ZH = "价格临时补贴"


def compute(ctx: HouseholdMonth) -> list[Line]:
    cpi = ctx.document.cpi.get(ctx.month_key)
    if cpi is None or not (ctx.dibao.eligible or ctx.tekun):
        return []
    base = ctx.dibao_member_calc()
    all_items = base.input("cpi_all_items", cpi.all_items)
    food = base.input("cpi_food", cpi.food)
    if all_items >= base.number("price_subsidy.all_items_threshold"):
        base.step("trigger", "all_items")
        rate = all_items
    elif food >= base.number("price_subsidy.food_threshold"):
        base.step("trigger", "food")
        rate = food
    else:
        return []
    base.step("rate_percent", rate)
    amount = ctx.dibao.standard * rate / 100
    lines = []
    for member in ctx.household.members:
        tekun = member.id in ctx.tekun
        if not tekun and not ctx.dibao.eligible:
            continue
        c = base.fork()
        c.step("tekun_person", tekun)
        line = c.line(PROGRAM, member.id, amount)
        if line:
            lines.append(line)
    return lines
