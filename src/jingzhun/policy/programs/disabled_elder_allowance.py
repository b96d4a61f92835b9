"""失能老人补贴 ``disabled_elder_allowance`` (allowance for certified disabled elders) — POLICY.md §4.

A member of a household receiving 低保 this month (never a 特困 person), aged ``min_age`` ≤ age ≤
``max_age`` (60–99), certified 失能 by a hospital, gets ``allowances.disabled_elder.amount`` (60) a
month. Stacks with the other allowances.
"""

from __future__ import annotations

from collections.abc import Mapping

from jingzhun.policy.rules import Params, Rule, col, yuan
from jingzhun.policy.vocabulary import PROGRAM_NAMES

PROGRAM = "disabled_elder_allowance"
NAME_ZH = PROGRAM_NAMES[PROGRAM]
RULE_ZH = "低保家庭中经鉴定失能的 60 至 99 岁老人每月定额发放"
LEVEL = "person"
INPUTS = {"disabled_elder_certified": "disabled_elder_certified", "birth_date": "birth_date"}
PARAMETERS = (
    "dibao.standard.{area}",
    "allowances.disabled_elder.min_age",
    "allowances.disabled_elder.max_age",
    "allowances.disabled_elder.amount",
)


def rule(p: Params) -> Rule:
    in_range = p.at_least("disabled_elder_min") & p.at_most("disabled_elder_max")
    steps = {
        "receives_dibao": col("receives_dibao"),
        "monthly_standard_S": yuan(p["std_fen"], 12),
        "age": col("age"),
        "age_in_range": in_range,
    }
    pays = col("dibao_member") & col("disabled_elder_certified") & in_range
    return Rule(steps, pays, p["disabled_elder_fen"])


def sentence(steps: Mapping[str, object], params: Mapping[str, object], amount: str, persons: int) -> str:
    return f"{NAME_ZH} = {amount} 元（定额）"
