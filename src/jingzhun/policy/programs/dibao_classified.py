"""分类施保 ``dibao_classified`` (classified supplement) — POLICY.md §3.

Each member of a household receiving 低保 this month (特困 persons are not in it) gets
rate × S for the **single highest** category that applies: disability grade 1–2 or serious illness
(``rate_severe``), grade 3–4 (``rate_disability``), age ≥ ``elderly_age`` (``rate_elderly``),
age < ``minor_age`` (``rate_minor``). When ``registered_poor_only`` is true only registered-poor
(建档立卡) households get it.

Ambiguities resolved: equal rates tie to the first category in the order above (the amount is the same);
``registered_poor_only`` applies to urban as well as rural 低保 households (the seed speaks of rural 低保,
and the flag is a parameter a region can change).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import polars as pl

from jingzhun.policy.rules import (
    RATE_SCALE,
    Params,
    Rule,
    col,
    frac,
    grade_in,
    names_where,
    percent_text,
    yuan,
    yuan_text,
)
from jingzhun.policy.vocabulary import PROGRAM_NAMES

PROGRAM = "dibao_classified"
NAME_ZH = PROGRAM_NAMES[PROGRAM]
RULE_ZH = "低保家庭成员按最高的一类加发：月低保标准 × 分类施保比例"
LEVEL = "person"
INPUTS = {
    "registered_poor": "registered_poor",
    "disability_grade": "disability_grade",
    "serious_illness": "serious_illness",
    "birth_date": "birth_date",
}
PARAMETERS = (
    "dibao.standard.{area}",
    "dibao.classified.registered_poor_only",
    "dibao.classified.elderly_age",
    "dibao.classified.minor_age",
    "dibao.classified.rate_{category}",
)


def rule(p: Params) -> Rule:
    categories = {  # in this order: equal rates go to the first
        "severe": (grade_in(1, 2) | col("serious_illness"), p["rate_severe"]),
        "disability": (grade_in(3, 4), p["rate_disability"]),
        "elderly": (p.at_least("cl_elderly_age"), p["rate_elderly"]),
        "minor": (~p.at_least("cl_minor_age"), p["rate_minor"]),
    }
    rate = pl.max_horizontal(*(pl.when(hit).then(r).otherwise(0) for hit, r in categories.values()))
    chosen = pl.coalesce(*(pl.when(hit & (r == rate)).then(pl.lit(name)) for name, (hit, r) in categories.items()))
    entitled = col("registered_poor") | (p["cl_registered_poor_only"] == 0)
    steps = {
        "receives_dibao": col("receives_dibao"),
        "monthly_standard_S": yuan(p["std_fen"], 12),
        "age": col("age"),
        "categories": names_where({name: hit for name, (hit, _) in categories.items()}),
        "category": chosen,
        "rate": frac(rate, RATE_SCALE),
    }
    return Rule(steps, col("dibao_member") & entitled, rate * p["std_fen"], 12 * RATE_SCALE)


def sentence(steps: Mapping[str, object], params: Mapping[str, object], amount: str, persons: int) -> str:
    rate = steps.get("rate")
    rate_text = percent_text(Fraction(rate) * 100) if isinstance(rate, Fraction | int) else str(rate)
    return f"分类施保 = {yuan_text(steps.get('monthly_standard_S'))} × {rate_text}% = {amount} 元"
