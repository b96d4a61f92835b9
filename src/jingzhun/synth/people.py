"""Who lives in each household: size, relations to the head, sexes, ages, birth dates and names.

A household is drawn as a *template* — a list of relations such as 户主·配偶·子女·儿媳·孙子女 with an
age range for the head — so relations and ages agree by construction: 户主 ≥ 18, 子女 at least 22 years
younger than the head, 父母 22–34 years older, 孙子女 at least 20 years younger than the 子女 generation.

Household sizes [default]: rural 1–7 persons with shares 16/27/22/20/9/4/2 % (mean 2.99), urban
14/28/32/16/7/2.5/0.5 % (mean 2.83): 户籍 households in 吕梁's villages are many old couples and
singles left behind (seed 000: 马家沟村 128 户 285 人) beside three-generation households. The template
mix within a size is [default] too, tilted to old singles and couples in rural areas.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import polars as pl

from jingzhun.synth import names
from jingzhun.synth.arrays import Bool, Float, Groups, Int, labels, pick
from jingzhun.synth.rates import REFERENCE_DATE

# Role codes; the in-law role becomes 儿媳 or 女婿 by the sex of the first child.
HEAD, SPOUSE, CHILD, IN_LAW, GRANDCHILD, PARENT, GRANDPARENT, SIBLING = range(8)
ROLE_LETTERS = "HSCLGPAB"
RELATION_LABELS = ("户主", "配偶", "子女", "儿媳", "孙子女", "父母", "祖父母", "兄弟姐妹", "女婿")  # by role; 女婿 last

# (roles, rural weight within its size, urban weight within its size, head age low, head age high)
TEMPLATES: tuple[tuple[str, float, float, float, float], ...] = (
    ("H", 0.55, 0.35, 60, 95), ("H", 0.45, 0.65, 20, 60),
    ("HS", 0.50, 0.40, 55, 90), ("HS", 0.08, 0.18, 22, 40), ("HC", 0.20, 0.27, 35, 85),
    ("HP", 0.07, 0.08, 25, 60), ("HB", 0.09, 0.06, 35, 75), ("HG", 0.04, 0.01, 55, 85),
    ("HA", 0.02, 0.00, 18, 35),
    ("HSC", 0.62, 0.80, 25, 60), ("HSP", 0.08, 0.05, 30, 60), ("HCC", 0.10, 0.07, 38, 75),
    ("HSG", 0.15, 0.05, 50, 75), ("HCL", 0.05, 0.03, 50, 80),
    ("HSCC", 0.60, 0.75, 28, 58), ("HSCP", 0.15, 0.12, 28, 58), ("HSGG", 0.10, 0.03, 50, 75),
    ("HSCL", 0.10, 0.07, 48, 75), ("HCLG", 0.05, 0.03, 50, 85),
    ("HSCCC", 0.35, 0.30, 30, 58), ("HSCCP", 0.20, 0.22, 30, 58), ("HSCLG", 0.30, 0.33, 46, 75),
    ("HSCPP", 0.15, 0.15, 28, 55),
    ("HSCLGG", 0.45, 0.45, 46, 75), ("HSCCPP", 0.25, 0.25, 30, 55), ("HSCCCC", 0.15, 0.10, 32, 58),
    ("HSCCCP", 0.15, 0.20, 32, 58),
    ("HSCLGGG", 0.45, 0.45, 48, 75), ("HSCLGGP", 0.25, 0.25, 46, 62), ("HSCCCPP", 0.30, 0.30, 32, 55),
)  # fmt: skip
SIZE_P_RURAL = (0.16, 0.27, 0.22, 0.20, 0.09, 0.04, 0.02)
SIZE_P_URBAN = (0.14, 0.28, 0.32, 0.16, 0.07, 0.025, 0.005)
MAX_SIZE = 7


@dataclass(frozen=True)
class People:
    groups: Groups
    template: Int  # per household
    role: Int  # per person, the codes above
    male: Bool
    age: Float  # exact years at REFERENCE_DATE
    birth: Int  # days since 1970-01-01
    name: pl.Series
    relation: pl.Series  # Chinese label


def _template_probabilities(urban: bool) -> Float:
    size_p = SIZE_P_URBAN if urban else SIZE_P_RURAL
    w = np.array([t[2] if urban else t[1] for t in TEMPLATES], dtype=np.float64)
    sizes = np.array([len(t[0]) for t in TEMPLATES])
    for s in range(1, MAX_SIZE + 1):
        w[sizes == s] *= size_p[s - 1] / w[sizes == s].sum()
    return w


@functools.cache
def _given_vocabulary() -> tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...]]:
    """Every two-character given name of every pool, with each pool's offset and width (second chars)."""
    vocab: list[str] = []
    offsets: list[int] = []
    widths: list[int] = []
    for pools in (names.GIVEN_MALE, names.GIVEN_FEMALE):
        for first, second in pools:
            offsets.append(len(vocab))
            widths.append(len(second))
            vocab += [a + b for a in first for b in second]
    return tuple(vocab), tuple(offsets), tuple(widths)


@functools.cache
def _full_name_vocabulary() -> pl.Series:
    given = _given_vocabulary()[0]
    return pl.Series([s + g for s in names.SURNAMES for g in given], dtype=pl.String)


def _names(rng: np.random.Generator, surname: Int, male: Bool, birth_year: Int) -> pl.Series:
    """Surname + two characters from the pools of the person's sex and cohort, as one lookup."""
    vocab, offsets, widths = _given_vocabulary()
    pool = np.searchsorted(np.array([1960, 1990]), birth_year, side="right") + np.where(male, 0, 3)
    given = np.zeros(len(male), dtype=np.int64)
    for p, (first, second) in enumerate((*names.GIVEN_MALE, *names.GIVEN_FEMALE)):
        idx = np.flatnonzero(pool == p)
        given[idx] = (
            offsets[p] + rng.integers(0, len(first), len(idx)) * widths[p] + rng.integers(0, len(second), len(idx))
        )
    return _full_name_vocabulary().gather(surname * len(vocab) + given)


def _soft_clip(rng: np.random.Generator, x: Float, lo: Float | float, hi: Float | float) -> Float:
    """Ages pushed back inside [lo, hi] by a random margin, so a bound never piles persons on one birth date."""
    margin = rng.uniform(0.0, 3.0, len(x))
    return np.where(x < lo, lo + margin, np.where(x > hi, hi - margin, x))


def surnames(rng: np.random.Generator, n: int) -> Int:
    """Indices into names.SURNAMES, weighted."""
    return pick(rng, list(names.SURNAMES.values()), n)


def full_names(rng: np.random.Generator, male: Bool, birth_year: Int) -> pl.Series:
    """Names for persons outside the households (帮扶 cadres)."""
    return _names(rng, surnames(rng, len(male)), male, birth_year)


def _calendar_age(birth: Int) -> tuple[Float, Int]:
    """Age at REFERENCE_DATE whose whole part is the completed years on the calendar, and the birth year."""
    dates = pl.Series(birth.astype(np.int32)).cast(pl.Date)
    year = dates.dt.year().to_numpy().astype(np.int64)
    month_day = dates.dt.month().to_numpy().astype(np.int64) * 100 + dates.dt.day().to_numpy()
    ref = REFERENCE_DATE
    years = ref.year - year - (month_day > ref.month * 100 + ref.day)
    days = np.datetime64(ref, "D").astype(np.int64) - birth
    fraction = np.clip((days - years * 365.2425) / 365.2425, 0.0, 0.999)
    return years + fraction, year


def _within(households: Int) -> Int:
    """0-based order of each row among the rows of its household (rows sorted by household)."""
    new = np.r_[True, households[1:] != households[:-1]]
    return np.arange(len(households)) - np.maximum.accumulate(np.where(new, np.arange(len(households)), 0))


def draw_people(rng: np.random.Generator, urban_household: Bool) -> People:
    n_hh = len(urban_household)
    template = np.where(
        urban_household,
        pick(rng, _template_probabilities(True), n_hh),
        pick(rng, _template_probabilities(False), n_hh),
    )
    role_matrix = np.full((len(TEMPLATES), MAX_SIZE), -1, dtype=np.int64)
    for i, t in enumerate(TEMPLATES):
        role_matrix[i, : len(t[0])] = [ROLE_LETTERS.index(c) for c in t[0]]
    t_size = (role_matrix >= 0).sum(axis=1)
    groups = Groups(np.repeat(np.arange(n_hh, dtype=np.int64), t_size[template]), n_hh)
    of = groups.of
    role = role_matrix[template[of], groups.rank()]
    n = len(role)

    # Per household: head age and sex, the first child's age gap and sex, spacing between siblings.
    lo = np.array([t[3] for t in TEMPLATES])[template]
    hi = np.array([t[4] for t in TEMPLATES])[template]
    head_age = lo + rng.random(n_hh) * (hi - lo)
    has_next_gen = np.array([("L" in t[0]) or ("G" in t[0]) for t in TEMPLATES])[template]
    gap_hi = np.minimum(34.0, head_age - np.where(has_next_gen, 22.0, 0.0))
    child1 = head_age - (22.0 + rng.random(n_hh) * np.maximum(0.0, gap_hi - 22.0))
    spacing = rng.uniform(1.5, 4.5, n_hh)
    gc1 = rng.uniform(0.3, 1.0, n_hh) * np.clip(child1 - 20.0, 0.0, 17.0)
    coupled = np.array(["S" in t[0] for t in TEMPLATES])[template]
    old_single = np.array([t[0] == "H" and t[3] >= 60 for t in TEMPLATES])[template]
    p_head_male = np.where(coupled, np.where(urban_household, 0.80, 0.88), np.where(old_single, 0.5, 0.62))
    head_male = rng.random(n_hh) < p_head_male
    child1_male = rng.random(n_hh) < np.where(np.array(["L" in t[0] for t in TEMPLATES])[template], 0.85, 0.52)

    age = np.empty(n)
    male = np.empty(n, dtype=bool)
    for r in range(len(ROLE_LETTERS)):
        rows = np.flatnonzero(role == r)
        hh = of[rows]
        k = _within(hh)
        m = len(rows)
        h = head_age[hh]
        if r == HEAD:
            a, sex = h, head_male[hh]
        elif r == SPOUSE:
            spouse_lo = np.where(has_next_gen[hh], np.maximum(child1[hh] + 19.0, 20.0), 20.0)
            raw = h + np.where(head_male[hh], -2.0, 2.0) + rng.normal(0.0, 3.0, m)
            a, sex = _soft_clip(rng, raw, spouse_lo, 99.0), ~head_male[hh]
        elif r == CHILD:
            raw = child1[hh] - k * spacing[hh]
            a = np.where(raw >= 0, raw, rng.random(m) * 1.5)
            sex = np.where(k == 0, child1_male[hh], rng.random(m) < 0.52)
        elif r == IN_LAW:
            raw = child1[hh] + rng.normal(-1.5, 2.5, m)
            a, sex = _soft_clip(rng, raw, 20.0, np.maximum(24.0, h - 16.0)), ~child1_male[hh]
        elif r == GRANDCHILD:
            raw = gc1[hh] - k * spacing[hh]
            a, sex = np.where(raw >= 0, raw, rng.random(m) * 0.9), rng.random(m) < 0.53
        elif r == PARENT:
            first = np.r_[True, hh[1:] != hh[:-1]]
            pair = ~first | np.r_[hh[1:] == hh[:-1], False]
            raw = h + rng.uniform(22.0, 34.0, m) - k * rng.uniform(0.0, 5.0, m)
            a = _soft_clip(rng, raw, 0.0, 99.5)
            sex = np.where(pair, k == 0, rng.random(m) < 0.38)  # a couple: father first; one parent: mostly a mother
        elif r == GRANDPARENT:
            a, sex = _soft_clip(rng, h + rng.uniform(45.0, 60.0, m), 0.0, 99.5), rng.random(m) < 0.4
        else:  # SIBLING
            a, sex = _soft_clip(rng, h + rng.uniform(-8.0, 8.0, m), 18.0, 99.0), rng.random(m) < 0.6
        age[rows] = a
        male[rows] = sex

    ref = np.datetime64(REFERENCE_DATE, "D").astype(np.int64)
    birth = ref - np.floor(age * 365.2425).astype(np.int64) - 1
    age, birth_year = _calendar_age(birth)

    head_surname = surnames(rng, n_hh)
    own_surname = surnames(rng, n)
    spouse_surname = np.full(n_hh, -1, dtype=np.int64)
    spouse_rows = np.flatnonzero(role == SPOUSE)
    spouse_surname[of[spouse_rows]] = own_surname[spouse_rows]
    family = np.where(head_male | (spouse_surname < 0), head_surname, spouse_surname)[of]
    paternal = (role == HEAD) | (role == SIBLING) | (((role == PARENT) | (role == GRANDPARENT)) & male)
    surname = np.where(paternal, head_surname[of], own_surname)
    surname = np.where((role == CHILD) | (role == GRANDCHILD), family, surname)
    name = _names(rng, surname, male, birth_year)

    relation = np.where((role == IN_LAW) & male, len(RELATION_LABELS) - 1, role)
    return People(groups, template, role, male, age, birth, name, labels(RELATION_LABELS, relation))
