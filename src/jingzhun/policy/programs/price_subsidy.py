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

from collections.abc import Mapping

import polars as pl

from jingzhun.policy.rules import Params, Rule, col, frac, percent_text, yuan, yuan_text
from jingzhun.policy.vocabulary import PROGRAM_NAMES

PROGRAM = "price_subsidy"
NAME_ZH = PROGRAM_NAMES[PROGRAM]
RULE_ZH = "物价涨幅达到启动条件的月份，低保对象与特困人员每人领取：月低保标准 × 涨幅"
LEVEL = "person"
INPUTS = {"cpi_all_items": "cpi_all_items", "cpi_food": "cpi_food"}
PARAMETERS = ("dibao.standard.{area}", "price_subsidy.all_items_threshold", "price_subsidy.food_threshold")
# the trigger (all-items rise ≥ its threshold, else food rise ≥ its threshold) is decided once per
# region from the month's CPI: ``price_num / price_den`` is the rate in percent, 0 when not triggered
TRIGGERS = ("", "all_items", "food")


def rule(p: Params) -> Rule:
    code = p["price_trigger"]
    trigger = pl.when(code == 1).then(pl.lit(TRIGGERS[1])).when(code == 2).then(pl.lit(TRIGGERS[2])).otherwise(None)
    steps = {
        "receives_dibao": col("receives_dibao"),
        "monthly_standard_S": yuan(p["std_fen"], 12),
        "trigger": trigger,
        "rate_percent": frac(p["price_num"], p["price_den"]),
        "tekun_person": col("tekun_person"),
    }
    pays = (col("dibao_member") | col("tekun_person")) & (p["price_num"] > 0)
    return Rule(steps, pays, p["std_fen"] * p["price_num"], 1200 * p["price_den"])


def sentence(steps: Mapping[str, object], params: Mapping[str, object], amount: str, persons: int) -> str:
    s, rate = steps.get("monthly_standard_S"), steps.get("rate_percent")
    return f"价格临时补贴 = {yuan_text(s)} × {percent_text(rate)}% = {amount} 元"
