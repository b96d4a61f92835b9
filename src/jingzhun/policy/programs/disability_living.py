"""困难残疾人生活补贴 ``disability_living`` (living subsidy for disabled people) — POLICY.md §4.

A member of a household receiving 低保 this month (never a 特困 person) who holds a second-generation
disability card gets ``allowances.disability_living.amount`` (50) a month. Stacks with the other
allowances.

Ambiguity resolved: the card alone qualifies; the disability grade is not checked (the seed says
"持第二代残疾证").
"""

from __future__ import annotations

from collections.abc import Mapping

from jingzhun.policy.rules import Params, Rule, col, yuan
from jingzhun.policy.vocabulary import PROGRAM_NAMES

PROGRAM = "disability_living"
NAME_ZH = PROGRAM_NAMES[PROGRAM]
RULE_ZH = "低保家庭中持第二代残疾证的困难残疾人每月定额发放"
LEVEL = "person"
INPUTS = {"disability_card_gen2": "disability_card_gen2"}
PARAMETERS = ("dibao.standard.{area}", "allowances.disability_living.amount")


def rule(p: Params) -> Rule:
    steps = {"receives_dibao": col("receives_dibao"), "monthly_standard_S": yuan(p["std_fen"], 12)}
    return Rule(steps, col("dibao_member") & col("disability_card_gen2"), p["living_fen"])


def sentence(steps: Mapping[str, object], params: Mapping[str, object], amount: str, persons: int) -> str:
    return f"{NAME_ZH} = {amount} 元（定额）"
