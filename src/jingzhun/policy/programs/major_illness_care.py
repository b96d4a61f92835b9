"""大病关怀救助 ``major_illness_care`` (major-illness care) — POLICY.md §5 [seed].

A member of a registered-poor (建档立卡) household in the late stage of one of the 24 major diseases
gets ``major_illness_care.amount`` (5000) once per lifetime, whether or not the household receives
低保 (disqualification does not apply). The document's ``history`` carries the past: a person whose
history holds ``major_illness_care`` gets nothing.

Ambiguity resolved: 特困 persons of a registered-poor household qualify too (they are members of the
registered household even though they are left out of the 低保 household). The line is paid in the
month computed; recording it in ``history`` (the ledger's job) prevents paying it again.
"""

from __future__ import annotations

from collections.abc import Mapping

from jingzhun.policy.rules import Params, Rule, col
from jingzhun.policy.vocabulary import PROGRAM_NAMES

PROGRAM = "major_illness_care"
NAME_ZH = PROGRAM_NAMES[PROGRAM]
RULE_ZH = "建档立卡贫困户中重特大疾病晚期患者，一生一次"
LEVEL = "person"
INPUTS = {"registered_poor": "registered_poor", "late_stage_major_disease": "late_stage_major_disease"}
PARAMETERS = ("major_illness_care.amount",)


def rule(p: Params) -> Rule:
    pays = col("registered_poor") & col("late_stage_major_disease") & ~col("paid_before")
    return Rule({"paid_before": col("paid_before")}, pays, p["major_fen"])


def sentence(steps: Mapping[str, object], params: Mapping[str, object], amount: str, persons: int) -> str:
    return f"{NAME_ZH} = {amount} 元（定额）"
