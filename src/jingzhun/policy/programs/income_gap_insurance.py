"""一保通·脱贫返贫保险 ``income_gap_insurance`` (return-to-poverty insurance, 交口县 model) — POLICY.md §6.

Annual: when a household's per-capita annual income is below the poverty line of the year, the insurance
pays (line − per-capita income) × household size = line × size − annual income.

How it appears in a month computation: only when computing **December**, as one household line for the
year, with the line in force on 1 December (the year's line). Other months show nothing.

Ambiguities resolved: only where ``insurance.income_gap.enabled`` is true (交口县 from 2018 [seed]; the
product is that county's); only rural households (the seed: "全县农户统一参保", farm households); every
member counts in the household size (特困 persons too); disqualification does not apply (it is an
insurance claim, not assistance).
"""

from __future__ import annotations

from collections.abc import Mapping

from jingzhun.policy.rules import Params, Rule, col, frac, yuan_text
from jingzhun.policy.vocabulary import PROGRAM_NAMES

PROGRAM = "income_gap_insurance"
NAME_ZH = PROGRAM_NAMES[PROGRAM]
RULE_ZH = "一保通：人均年收入低于当年贫困线时，赔付（贫困线 − 人均年收入）× 家庭人数"
LEVEL = "household"
PAY_MONTH = 12
INPUTS = {"area": "area", "annual_income": "annual_income_fen", "household_size": "size"}
PARAMETERS = ("insurance.income_gap.enabled", "poverty_line")


def rule(p: Params) -> Rule:
    """``insurance_on`` is 1 only in December where the switch is on and the line is known."""
    size, income, line = col("size"), col("annual_income_fen"), p["poverty_line_fen"]
    below = income < line * size
    steps = {"per_capita_annual_income": frac(income, 100 * size), "below_line": below}
    pays = (p["insurance_on"] == 1) & (col("area") == "rural") & below
    return Rule(steps, pays, line * size - income, persons=size)


def sentence(steps: Mapping[str, object], params: Mapping[str, object], amount: str, persons: int) -> str:
    line, per_capita = params.get("poverty_line"), steps.get("per_capita_annual_income")
    return f"脱贫返贫保险 = ({yuan_text(line)} − {yuan_text(per_capita)}) × {persons} 人 = {amount} 元"
