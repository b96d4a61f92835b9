"""最低生活保障·补差 ``dibao`` (minimum living guarantee top-up) — POLICY.md §3.

The 低保 household is the members who are not 特困 persons; *n* is their number. With
*S* = ``dibao.standard.<area>`` / 12 (monthly standard) and *y* = annual_income / 12 / *n* (per-capita
monthly income), the household is eligible when it is not disqualified, n ≥ 1 and y < S, and receives
(S − y) × n. An eligible household "receives 低保 this month" for the allowances and the price subsidy
whatever its rounded amount (even 0.00).

Ambiguity resolved: the household's whole counted income is divided among the n non-特困 members only
(the 特困 person's own support is not household income, and they are not counted).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from jingzhun.policy.rules import Params, Rule, col, frac, yuan, yuan_text
from jingzhun.policy.vocabulary import PROGRAM_NAMES

PROGRAM = "dibao"
NAME_ZH = PROGRAM_NAMES[PROGRAM]
RULE_ZH = "低保家庭每月补足人均收入与低保标准的差额：（月低保标准 − 月人均收入）× 保障人数"
LEVEL = "household"
INPUTS = {
    "area": "area",
    "annual_income": "annual_income_fen",
    "disqualified": "disqualified",
    "members": "size",
    "tekun_members_left_out": "tekun_ids",
}
PARAMETERS = ("dibao.standard.{area}",)


def test(p: Params) -> dict[str, pl.Expr]:
    """The 低保 household test, over households (``size``, ``n_tekun`` counted from their persons):
    ``n`` and ``receives_dibao``. y < S, i.e. income / 12 / n < standard / 12, is income < standard × n."""
    n = col("size") - col("n_tekun")
    receives = ~col("disq") & (n >= 1) & (col("annual_income_fen") < p["std_fen"] * n)
    return {"n": n, "receives_dibao": receives}


def rule(p: Params) -> Rule:
    n, income = col("n"), col("annual_income_fen")
    steps = {
        "n": n,
        "monthly_standard_S": yuan(p["std_fen"], 12),
        "per_capita_monthly_income_y": frac(income, 1200 * n),
        "receives_dibao": col("receives_dibao"),
    }
    return Rule(steps, col("receives_dibao"), p["std_fen"] * n - income, 12, persons=n)


def sentence(steps: Mapping[str, object], params: Mapping[str, object], amount: str, persons: int) -> str:
    s, y, n = steps.get("monthly_standard_S"), steps.get("per_capita_monthly_income_y"), steps.get("n")
    return f"低保补差 = ({yuan_text(s)} − {yuan_text(y)}) × {n} 人 = {amount} 元"
