"""特困人员照料护理费 ``tekun_care`` (care fee for 特困 persons) — POLICY.md §2.

Each 特困 person (see ``tekun_basic``) receives ``tekun.care_fee[care_setting][self_care] / 12`` a
month. The fee is 0 before 2018-01-01 (the source calls it 新增, new), so no line is written then.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from jingzhun.policy.programs.tekun_basic import TEST_INPUTS, TEST_PARAMETERS
from jingzhun.policy.rules import Params, Rule, col, yuan, yuan_text
from jingzhun.policy.vocabulary import PROGRAM_NAMES

PROGRAM = "tekun_care"
NAME_ZH = PROGRAM_NAMES[PROGRAM]
RULE_ZH = "特困人员每月领取照料护理费的十二分之一（按供养方式与自理能力）"
LEVEL = "person"
INPUTS = {**TEST_INPUTS, "care_setting": "care_setting", "self_care": "self_care"}
PARAMETERS = (*TEST_PARAMETERS, "tekun.care_fee[{care_setting}][{self_care}]")


def rule(p: Params) -> Rule:
    fee = pl.lit(0, pl.Int64)
    for setting in ("home", "institution"):
        for care in ("full", "partial", "none"):
            hit = (col("care_setting") == setting) & (col("self_care") == care)
            fee = pl.when(hit).then(p[f"fee_{setting}_{care}_fen"]).otherwise(fee)
    steps = {name: col(name) for name in ("age", "tekun_conditions", "tekun_person")}
    return Rule(steps={**steps, "annual_fee": yuan(fee)}, pays=col("tekun_person"), amount_num=fee, amount_den=12)


def sentence(steps: Mapping[str, object], params: Mapping[str, object], amount: str, persons: int) -> str:
    return f"照料护理费 = {yuan_text(steps.get('annual_fee'))} ÷ 12 = {amount} 元"
