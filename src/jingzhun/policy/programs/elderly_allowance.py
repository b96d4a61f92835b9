"""高龄补贴 ``elderly_allowance`` (old-age allowance) — POLICY.md §4.

A member of a household receiving 低保 this month (never a 特困 person) aged ``min_age`` ≤ age ≤
``max_age`` (80–99) gets ``allowances.elderly.amount`` (30) a month. Age is completed years on the
first of the month, so it starts the month after the 80th birthday (the same month if born on the 1st).
Stacks with the other allowances.
"""

from __future__ import annotations

from collections.abc import Mapping

from jingzhun.policy.rules import Params, Rule, col, yuan
from jingzhun.policy.vocabulary import PROGRAM_NAMES

PROGRAM = "elderly_allowance"
NAME_ZH = PROGRAM_NAMES[PROGRAM]
RULE_ZH = "低保家庭中 80 至 99 岁老人每月定额发放"
LEVEL = "person"
INPUTS = {"birth_date": "birth_date"}
PARAMETERS = (
    "dibao.standard.{area}",
    "allowances.elderly.min_age",
    "allowances.elderly.max_age",
    "allowances.elderly.amount",
)


def rule(p: Params) -> Rule:
    in_range = p.at_least("elderly_min") & p.at_most("elderly_max")
    steps = {
        "receives_dibao": col("receives_dibao"),
        "monthly_standard_S": yuan(p["std_fen"], 12),
        "age": col("age"),
        "age_in_range": in_range,
    }
    return Rule(steps, col("dibao_member") & in_range, p["elderly_fen"])


def sentence(steps: Mapping[str, object], params: Mapping[str, object], amount: str, persons: int) -> str:
    return f"{NAME_ZH} = {amount} 元（定额）"
