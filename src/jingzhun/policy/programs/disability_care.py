"""重度残疾人护理补贴 ``disability_care`` (care subsidy for severely disabled people) — POLICY.md §4.

A person with disability grade 1–2 who needs long-term care gets ``allowances.disability_care.amount``
(50) a month. There is no income test and disqualification does not apply; a 特困 person does not get
it (their care is paid as ``tekun_care``). Stacks with the other allowances. (The 2019 move of payment
from 残联 to 民政 changes the paying agency, not the amount.)
"""

from __future__ import annotations

from collections.abc import Mapping

from jingzhun.policy.rules import Params, Rule, col, grade_in
from jingzhun.policy.vocabulary import PROGRAM_NAMES

PROGRAM = "disability_care"
NAME_ZH = PROGRAM_NAMES[PROGRAM]
RULE_ZH = "一、二级且需长期照护的重度残疾人每月定额发放（特困人员除外）"
LEVEL = "person"
INPUTS = {"disability_grade": "disability_grade", "needs_long_term_care": "needs_long_term_care"}
PARAMETERS = ("allowances.disability_care.amount",)


def rule(p: Params) -> Rule:
    pays = grade_in(1, 2) & col("needs_long_term_care") & ~col("tekun_person")
    return Rule({"tekun_person": col("tekun_person")}, pays, p["care_fen"])


def sentence(steps: Mapping[str, object], params: Mapping[str, object], amount: str, persons: int) -> str:
    return f"{NAME_ZH} = {amount} 元（定额）"
