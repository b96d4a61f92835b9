"""特困人员救助供养·基本生活费 ``tekun_basic`` (extreme-poverty support, basic living) — POLICY.md §2.

A person is a 特困 person when **all** hold: the household is not disqualified; the person has no own
source of income; no legal supporter able to support them; and they are elderly (age ≥
``tekun.eligibility.elderly_age``), a minor (age < ``tekun.eligibility.minor_age``), disability grade
1–2, or without labour capacity. A 特困 person is left out of the 低保 household and receives
``tekun.basic.<area>[care_setting] / 12`` a month.

Ambiguity resolved: the 特困 test is per person, but "not disqualified" reads the household's list
(the document records disqualifying conditions per household).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from jingzhun.policy.rules import Params, Rule, col, grade_in, names_where, yuan, yuan_text
from jingzhun.policy.vocabulary import PROGRAM_NAMES

PROGRAM = "tekun_basic"
NAME_ZH = PROGRAM_NAMES[PROGRAM]
RULE_ZH = "特困人员每月领取基本生活标准的十二分之一（按城乡、分散或集中供养）"
LEVEL = "person"

# The 特困 test, shared by tekun_care and every program that leaves 特困 persons out.
TEST_INPUTS = {
    "disqualified": "disqualified",
    "income_source": "income_source",
    "capable_supporter": "capable_supporter",
    "birth_date": "birth_date",
    "disability_grade": "disability_grade",
    "labour": "labour",
}
TEST_PARAMETERS = ("tekun.eligibility.elderly_age", "tekun.eligibility.minor_age")


def test(p: Params) -> dict[str, pl.Expr]:
    """``age`` (completed years on the 1st), ``tekun_conditions`` and ``tekun_person``."""
    conditions = {
        "elderly": p.at_least("tk_elderly_age"),
        "minor": ~p.at_least("tk_minor_age"),
        "severe_disability": grade_in(1, 2),
        "no_labour": col("labour") == "none",
    }
    open_ = ~col("disq") & ~col("income_source") & ~col("capable_supporter")
    return {
        "age": p.age(),
        "tekun_conditions": names_where(conditions),
        "tekun_person": open_ & pl.any_horizontal(*conditions.values()),
    }


INPUTS = {**TEST_INPUTS, "area": "area", "care_setting": "care_setting"}
PARAMETERS = (*TEST_PARAMETERS, "tekun.basic.{area}[{care_setting}]")


def rule(p: Params) -> Rule:
    annual = pl.when(col("care_setting") == "home").then(p["basic_home_fen"]).otherwise(p["basic_institution_fen"])
    steps = {name: col(name) for name in ("age", "tekun_conditions", "tekun_person")}
    return Rule(
        steps={**steps, "annual_standard": yuan(annual)}, pays=col("tekun_person"), amount_num=annual, amount_den=12
    )


def sentence(steps: Mapping[str, object], params: Mapping[str, object], amount: str, persons: int) -> str:
    return f"特困人员基本生活费 = {yuan_text(steps.get('annual_standard'))} ÷ 12 = {amount} 元"
