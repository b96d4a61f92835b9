"""The exit document's facts for the synthetic county (POLICY.md §8): relocation keys, water, 因病免学.

Drawn from their own random stream, so adding them changes no other synthetic column.

* 已交付搬迁安置房: the relocated households of :mod:`jingzhun.synth.households` (grade A flats) —
  是; every other household 否.
* Water [default]: 20 % of rural villages lie in a dry area (干旱缺水地区, 20 L minimum), none of the
  towns. A household with safe water (饮水安全 = 是) has 40–120 L a person a day (dry area 22–60 L),
  fetches in 0–15 minutes, lacks water 0–20 days a year and its water is of good quality; one without
  fails one of the four indicators (too little water, > 20 minutes, > 36 days, or bad quality), so the
  registry's 饮水安全 and the exit check agree.
* 因病免学: a 7–15-year-old out of school (辍学) with a serious illness or a grade 1–2 disability is
  exempt for health reasons; the other dropouts are not — they fail the schooling criterion.
* The registered poor's 三保障 gaps (:func:`registered_gaps`, rates.py): a few members without basic
  medical insurance (a quarter of the babies under one, 0.4 % of the others) and a few more 7–15-year-olds
  out of school (1 %), so that a realistic minority fails the 2020 exit check on a named criterion
  (medical, schooling) besides the few 危房 (grade C, not relocated) and unsafe-water households.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from jingzhun.synth import rates
from jingzhun.synth.arrays import Bool, Float, Int, keep_where, labels
from jingzhun.synth.health import COMPULSORY, NOT_STUDENT, Health

DRY_VILLAGE_SHARE = 0.2
YES_NO = ("否", "是")


def _yes_no(values: Bool) -> pl.Series:
    return labels(YES_NO, values.astype(np.int64))


def household_exit_facts(
    rng: np.random.Generator, unit: Int, urban: Bool, water_safe: Bool, relocated: Bool
) -> dict[str, pl.Series]:
    """The six household columns of the exit document, one value per household."""
    n = len(unit)
    dry_units = rng.random(int(unit.max(initial=0)) + 1) < DRY_VILLAGE_SHARE
    dry = dry_units[unit] & ~urban
    litres = np.where(dry, rng.uniform(22, 60, n), rng.uniform(40, 120, n))
    minutes = rng.integers(0, 16, n)
    days = rng.integers(0, 21, n)
    quality = np.ones(n, dtype=bool)
    # An unsafe household fails exactly one indicator, chosen at random.
    which = rng.integers(0, 4, n)
    unsafe = ~water_safe
    litres = np.where(unsafe & (which == 0), np.where(dry, rng.uniform(8, 19.9, n), rng.uniform(15, 34.9, n)), litres)
    minutes = np.where(unsafe & (which == 1), rng.integers(25, 61, n), minutes)
    days = np.where(unsafe & (which == 2), rng.integers(40, 121, n), days)
    quality = np.where(unsafe & (which == 3), False, quality)
    centilitres = np.floor(litres * 100).astype(np.int64)  # two places, as written in the template
    litres_text = (
        pl.Series(centilitres // 100).cast(pl.String) + "." + pl.Series(centilitres % 100).cast(pl.String).str.zfill(2)
    )
    return {
        "已交付搬迁安置房": _yes_no(relocated),
        "每人每日可用水量": litres_text,
        "往返取水时间": pl.Series(minutes.astype(np.int64)),
        "年缺水天数": pl.Series(days.astype(np.int64)),
        "水质达标": _yes_no(quality),
        "干旱缺水地区": _yes_no(dry),
    }


def person_exit_facts(age: Float, dropout: Bool, serious: Bool, disability_grade: Int) -> pl.Series:
    """因病免学 (是 only where it applies; blank for everyone else, read as 否)."""
    exempt = dropout & (age >= 6) & (age <= 15) & (serious | ((disability_grade >= 1) & (disability_grade <= 2)))
    return keep_where(_yes_no(exempt), exempt)


def registered_gaps(rng: np.random.Generator, registered: Bool, tekun: Bool, age: Float, health: Health) -> Bool:
    """Members of registered-poor households left uninsured (returned), and extra dropouts among their
    7–15-year-olds in compulsory school (written into ``health``: out of school, no school). 特困 persons
    are always insured (the state pays their contribution)."""
    n = len(age)
    years = np.floor(age)
    u = rng.random(n)
    uninsured = registered & ~tekun & (u < np.where(years < 1, rates.NEWBORN_UNINSURED, rates.REGISTERED_UNINSURED))
    pupil = registered & (years >= 7) & (years <= 15) & (health.student == COMPULSORY)
    out = np.flatnonzero(pupil & (rng.random(n) < rates.REGISTERED_EXTRA_DROPOUT))
    health.dropout[out] = True
    health.student[out] = NOT_STUDENT
    health.school = keep_where(health.school, ~np.isin(np.arange(n), out))
    return uninsured
