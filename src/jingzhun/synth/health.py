"""Disability, illness, self-care, labour capacity and schooling of each person (rates: ``rates.py``).

Labour capacity follows age and health, taking the worst that applies: children and pupils have none;
16–59 full; rural people keep farming into their sixties (full or partial to 64, mostly partial to 74)
while urban 60-year-olds are mostly retired; disability grade 1–2, 失能, a late-stage disease or
(60 %) a serious illness mean none; grade 3 partial (none for intellectual/mental), grade 4 partial
for 60 %; a chronic disease lowers full to partial for 20 % [all default].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from jingzhun.synth import names, rates
from jingzhun.synth.arrays import Bool, Float, Int, by_age, keep_where, labels, pick

FULL, PARTIAL, NONE = 0, 1, 2
LABOUR_LABELS = ("有劳动力", "弱劳动力", "无劳动力")
SELF_CARE_LABELS = ("全自理", "半自理", "全护理")
STUDENT_LABELS = ("非在校", "学前", "义务教育", "高中阶段", "大专及以上")
NOT_STUDENT, PRESCHOOL, COMPULSORY, SENIOR, COLLEGE = range(5)
CATEGORIES = list(rates.DISABILITY_CATEGORY_P)
MENTAL = [CATEGORIES.index("智力"), CATEGORIES.index("精神")]


@dataclass
class Health:
    grade: Int  # 0 = no disability
    category: Int  # index into CATEGORIES, -1 = none
    card_gen2: Bool
    long_term_care: Bool
    certified_elder: Bool
    self_care: Int  # index into SELF_CARE_LABELS
    serious: Bool
    late_stage: Bool
    chronic: Bool
    chronic_text: pl.Series
    labour: Int  # FULL | PARTIAL | NONE
    student: Int
    school: pl.Series
    dropout: Bool
    medical_insurance: Bool

    def set_late_stage(self, rows: Int) -> None:
        """A late-stage major disease: serious illness, no labour capacity, at best half self-caring."""
        self.late_stage[rows] = True
        self.serious[rows] = True
        self.labour[rows] = NONE
        self.self_care[rows] = np.maximum(self.self_care[rows], 1)


def _schools(
    rng: np.random.Generator,
    student: Int,
    age: Float,
    urban: Bool,
    township: Int,
    township_names: list[str],
    county: str,
) -> pl.Series:
    """Rural pupils at the township's 中心幼儿园/中心小学/中学, urban ones at a numbered county school,
    senior pupils at a county 中学, students at a Shanxi college [default]."""
    n = len(student)
    t = len(township_names)
    prefixes = [*township_names, *(f"{county}第{k}" for k in "一二三四五六七八九"), county, ""]
    suffixes = ["中心幼儿园", "中心小学", "中学", "幼儿园", "小学", *names.SENIOR_SCHOOLS, *names.COLLEGES]
    middle = age >= 12
    numbered = t + rng.integers(0, 9, n)
    prefix = np.where(urban, numbered, township)
    suffix = np.where(
        urban,
        np.where(student == PRESCHOOL, 3, np.where(middle, 2, 4)),
        np.where(student == PRESCHOOL, 0, np.where(middle, 2, 1)),
    )
    senior = student == SENIOR
    prefix = np.where(senior, t + 9, prefix)
    suffix = np.where(senior, 5 + pick(rng, (0.5, 0.3, 0.2), n), suffix)
    college = student == COLLEGE
    prefix = np.where(college, t + 10, prefix)
    suffix = np.where(college, 5 + len(names.SENIOR_SCHOOLS) + rng.integers(0, len(names.COLLEGES), n), suffix)
    return keep_where(labels(prefixes, prefix) + labels(suffixes, suffix), student != NOT_STUDENT)


def _chronic(rng: np.random.Generator, age: Float) -> tuple[Bool, pl.Series]:
    """One or (a quarter of the time) two chronic diseases, joined with 、."""
    n = len(age)
    has = rng.random(n) < by_age(age, rates.CHRONIC_BY_AGE)
    diseases = [d for d, _ in names.CHRONIC_DISEASES]
    p = [w for _, w in names.CHRONIC_DISEASES]
    first = pick(rng, p, n)
    second = pick(rng, p, n)
    two = has & (rng.random(n) < 0.25) & (second != first)
    text = pl.select(
        pl.concat_str(
            [labels(diseases, np.where(has, first, -1)), labels(diseases, np.where(two, second, -1))],
            separator="、",
            ignore_nulls=True,
        )
    ).to_series()
    return has, keep_where(text, has)


def draw_health(
    rng: np.random.Generator, age: Float, urban: Bool, township: Int, township_names: list[str], county: str
) -> Health:
    n = len(age)
    years = np.floor(age)
    disabled = rng.random(n) < by_age(age, rates.DISABILITY_BY_AGE) * np.where(urban, 0.8, 1.15)
    grade = np.where(disabled, pick(rng, rates.DISABILITY_GRADE_P, n) + 1, 0)
    category = np.where(disabled, pick(rng, list(rates.DISABILITY_CATEGORY_P.values()), n), -1)
    card_gen2 = disabled & (rng.random(n) < rates.CARD_GEN2)
    certified = rng.random(n) < by_age(age, rates.CERTIFIED_DISABLED_ELDER)
    serious = rng.random(n) < by_age(age, rates.SERIOUS_ILLNESS_BY_AGE)
    late = rng.random(n) < rates.LATE_STAGE * np.where(age >= 45, 2.0, 0.5)
    serious |= late

    u = rng.random(n)
    self_care = np.zeros(n, dtype=np.int64)
    self_care = np.where(grade == 1, np.where(u < 0.45, 2, np.where(u < 0.85, 1, 0)), self_care)
    self_care = np.where(grade == 2, np.where(u < 0.15, 2, np.where(u < 0.55, 1, 0)), self_care)
    self_care = np.where(grade == 3, np.where(u < 0.15, 1, 0), self_care)
    self_care = np.maximum(self_care, np.where(certified, np.where(u < 0.6, 2, 1), 0))
    v = rng.random(n)
    self_care = np.maximum(self_care, np.where(age >= 85, np.where(v < 0.06, 2, np.where(v < 0.26, 1, 0)), 0))
    self_care = np.maximum(self_care, np.where(late, 1 + (v < 0.4), 0))
    long_term_care = (
        (grade >= 1) & (grade <= 2) & ((self_care > 0) | (rng.random(n) < rates.LONG_TERM_CARE_IF_SELF_CARING))
    )

    # Schooling by completed age; a rare dropout among 7–15-year-olds.
    w = rng.random(n)
    student = np.full(n, NOT_STUDENT)
    student = np.where((years >= 3) & (years <= 5) & (w < np.where(urban, 0.95, 0.88)), PRESCHOOL, student)
    student = np.where((years >= 6) & (years <= 14), COMPULSORY, student)
    student = np.where(years == 15, np.where(w < 0.55, COMPULSORY, np.where(w < 0.95, SENIOR, NOT_STUDENT)), student)
    student = np.where((years >= 16) & (years <= 17) & (w < np.where(urban, 0.92, 0.85)), SENIOR, student)
    student = np.where(years == 18, np.where(w < 0.35, SENIOR, np.where(w < 0.7, COLLEGE, NOT_STUDENT)), student)
    student = np.where((years >= 19) & (years <= 22) & (w < np.where(urban, 0.6, 0.4)), COLLEGE, student)
    dropout = (years >= 7) & (years <= 15) & (rng.random(n) < rates.DROPOUT)
    student = np.where(dropout, NOT_STUDENT, student)

    x = rng.random(n)
    rural_old = np.where(
        years <= 64,
        np.where(x < 0.55, FULL, PARTIAL),
        np.where(years <= 74, np.where(x < 0.65, PARTIAL, NONE), np.where(x < 0.12, PARTIAL, NONE)),
    )
    urban_old = np.where(years <= 69, np.where(x < 0.4, PARTIAL, NONE), NONE)
    labour = np.where(years >= 60, np.where(urban, urban_old, rural_old), FULL)
    labour = np.where((years < 16) | (student != NOT_STUDENT), NONE, labour)
    y = rng.random(n)
    by_health = np.where(grade == 1, NONE, FULL)
    by_health = np.where(grade == 2, NONE, by_health)
    by_health = np.where(grade == 3, np.where(np.isin(category, MENTAL), NONE, PARTIAL), by_health)
    by_health = np.where((grade == 4) & (y < 0.6), PARTIAL, by_health)
    by_health = np.where(serious, np.where(y < 0.6, NONE, PARTIAL), by_health)
    by_health = np.where(late | certified, NONE, by_health)
    chronic, chronic_text = _chronic(rng, age)
    by_health = np.maximum(by_health, np.where(chronic & (rng.random(n) < 0.2), PARTIAL, FULL))
    labour = np.maximum(labour, by_health)

    school = _schools(rng, student, age, urban, township, township_names, county)
    insured = rng.random(n) < rates.MEDICAL_INSURANCE
    return Health(
        grade, category, card_gen2, long_term_care, certified, self_care, serious, late, chronic,
        chronic_text, labour, student, school, dropout, insured,
    )  # fmt: skip
