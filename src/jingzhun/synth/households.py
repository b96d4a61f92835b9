"""Household facts: 建档立卡 year, status and date, poverty causes, housing, water, bank account, cadre.

Statuses at the snapshot (``REFERENCE_DATE``), POLICY.md §8's codes: 未脱贫 (registered, not yet exited,
dated at registration), 已脱贫（享受政策） (exited at the year-end assessment, dated 1 Nov – 31 Dec of the
exit year). 返贫 and 已脱贫（不再享受政策） are not generated (the first only comes from a 返贫预警 case, the
second is a county step after the policy-keeping period). Some exited households are 监测对象 (2020's
monitoring for return to poverty: the 「监测对象」 column, not a status).

Poverty causes: the main cause is drawn with weights that rise with what the household has —
因病 with a seriously or chronically ill member, 因残 with a disabled one, 缺劳力 without a full
worker, 因学 with a pupil in senior school or college — against a background of 缺资金, 缺技术 and the
rest; 45 % get a second cause [default; the national 2014 建档立卡 survey put 因病 first at ≈ 42 %].

Housing [default]: rural A/B/C/D 30/58/9/3 %, registered poor 45/54/1/0 % after 危房改造 (seed 002:
2 200 households rebuilt in 2018), urban 75/24/1/0 %; relocated households (易地扶贫搬迁) grade A with
25 m² a person [seed 004, POLICY §9]. Safe water: urban all, rural 95 %, registered poor 99.5 %.
Cadres: each 帮扶责任人 looks after up to five registered-poor households of one village [default].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from jingzhun.registry.columns import POVERTY_CAUSE
from jingzhun.synth import names, rates
from jingzhun.synth.arrays import Bool, Float, Groups, Int, digits, gumbel, iso_dates, keep_where, labels, pick, spread
from jingzhun.synth.health import COLLEGE, FULL, SENIOR, Health
from jingzhun.synth.idnumbers import card_numbers
from jingzhun.synth.people import full_names
from jingzhun.synth.selection import BAND_2020, LOW, NEAR, NORMAL, TEKUN, Selection
from jingzhun.synth.writer import multi

CAUSES = list(POVERTY_CAUSE)
STATUSES = ("未脱贫", "已脱贫（享受政策）")
CADRE_LOAD = 5


@dataclass(frozen=True)
class HouseholdFacts:
    registered_year: pl.Series
    status: pl.Series
    status_date: pl.Series
    monitored: Bool  # 监测对象 (an exited household under 2020's monitoring), not a status
    causes: pl.Series
    housing_grade: pl.Series
    housing_area: pl.Series
    water_safe: pl.Series
    bank_name: pl.Series
    bank_account: pl.Series
    cadre_name: pl.Series
    cadre_phone: pl.Series
    relocated: Bool  # 易地扶贫搬迁: the flat handed over (exit facts, synth/exit_facts.py)
    water: Bool


def _dates(rng: np.random.Generator, start: Int, end: Int) -> pl.Series:
    """Random dates in [start, end] (days since epoch) as YYYY-MM-DD."""
    return iso_dates(start + np.floor(rng.random(len(start)) * (end - start + 1)).astype(np.int64))


def _day(year: Int | int, month: int, day: int) -> Int:
    y = np.asarray(year, dtype=np.int64)
    first = (y - 1970).astype("datetime64[Y]").astype("datetime64[M]") + np.timedelta64(month - 1, "M")
    return np.asarray(first.astype("datetime64[D]").astype(np.int64) + day - 1, dtype=np.int64)


def _statuses(rng: np.random.Generator, reg: Bool, low_income: Bool) -> tuple[pl.Series, pl.Series, pl.Series, Bool]:
    rows = np.flatnonzero(reg)
    n = len(rows)
    years = np.array(list(rates.REGISTERED_YEAR_P))
    year = years[pick(rng, list(rates.REGISTERED_YEAR_P.values()), n)]
    exits = np.array(list(rates.EXIT_YEAR_P))
    exit_year = exits[pick(rng, list(rates.EXIT_YEAR_P.values()), n)]
    exit_year = np.where((exit_year > 0) & (exit_year < year), np.minimum(year + 1, 2019), exit_year)
    p_monitored = np.where(low_income[rows], rates.MONITORED_IF_LOW, rates.MONITORED_OTHERWISE)
    monitored = (exit_year > 0) & (rng.random(n) < p_monitored)
    status = np.where(exit_year == 0, 0, 1)
    start = np.where(exit_year == 0, _day(year, 4, 1), _day(exit_year, 11, 1))
    end = np.where(exit_year == 0, _day(year, 10, 31), _day(exit_year, 12, 31))
    total = len(reg)
    flag = np.zeros(total, dtype=bool)
    flag[rows] = monitored
    return (
        spread(pl.Series(year), rows, total),
        spread(labels(STATUSES, status), rows, total),
        spread(_dates(rng, start, end), rows, total),
        flag,
    )


def _causes(rng: np.random.Generator, g: Groups, health: Health, poor_village: Bool, reg: Bool) -> pl.Series:
    weights = {
        "因病": 0.8 + 2.0 * g.any(health.serious) + 1.2 * g.any(health.chronic),
        "因残": 0.3 + 2.5 * g.any(health.grade > 0),
        "因学": 0.2 + 2.0 * g.any((health.student == SENIOR) | (health.student == COLLEGE)),
        "因灾": 0.5,
        "缺土地": 0.3,
        "缺水": 0.3,
        "缺技术": 1.0,
        "缺劳力": 0.3 + 2.0 * ~g.any(health.labour == FULL),
        "缺资金": 1.2,
        "交通条件落后": 0.6 + 0.5 * poor_village,
        "自身发展动力不足": 0.5,
    }
    rows = np.flatnonzero(reg)
    score = np.stack([np.broadcast_to(np.asarray(weights[c], dtype=np.float64), (g.n,))[rows] for c in CAUSES], axis=1)
    score = score + gumbel(rng, score.size).reshape(score.shape)
    order = np.argsort(-score, axis=1)
    bits = (1 << order[:, 0]) | np.where(rng.random(len(rows)) < 0.45, 1 << order[:, 1], 0)
    return spread(multi(CAUSES, bits), rows, g.n)


def _cadres(rng: np.random.Generator, reg: Bool, unit: Int) -> tuple[pl.Series, pl.Series]:
    """One cadre per five registered households of a village, in household order."""
    reg_idx = np.flatnonzero(reg)
    reg_unit = unit[reg_idx]
    new_unit = np.r_[True, reg_unit[1:] != reg_unit[:-1]]
    position = np.arange(len(reg_idx)) - np.maximum.accumulate(np.where(new_unit, np.arange(len(reg_idx)), 0))
    cadre = np.full(len(reg), -1, dtype=np.int64)
    cadre[reg_idx] = np.cumsum(new_unit | (position % CADRE_LOAD == 0)) - 1
    k = int(cadre.max(initial=-1)) + 1
    names_ = full_names(rng, rng.random(k) < 0.6, rng.integers(1965, 1996, k))
    phones = labels(names.MOBILE_PREFIXES, rng.integers(0, len(names.MOBILE_PREFIXES), k)) + digits(
        rng.integers(0, 10**8, k), 8
    )
    return labels(names_.to_list(), cadre), labels(phones.to_list(), cadre)


def household_facts(
    rng: np.random.Generator,
    g: Groups,
    health: Health,
    sel: Selection,
    urban: Bool,
    unit: Int,
    poor_village: Bool,
) -> HouseholdFacts:
    n = g.n
    reg = sel.registered
    low = np.isin(sel.income_group, [LOW, BAND_2020, NEAR, TEKUN])
    year, status, status_date, monitored = _statuses(rng, reg, low)

    relocated = reg & (rng.random(n) < rates.RELOCATED_SHARE)
    p_grade = np.where(
        urban[:, None],
        np.array([0.75, 0.24, 0.01, 0.0]),
        np.where(reg[:, None], np.array([0.45, 0.54, 0.01, 0.0]), np.array([0.30, 0.58, 0.09, 0.03])),
    )
    grade = np.minimum((rng.random(n)[:, None] > np.cumsum(p_grade, axis=1)).sum(axis=1), 3)
    grade = np.where(relocated, 0, grade)
    area: Float = np.round(rng.lognormal(np.log(np.where(urban, 85.0, 75.0)), 0.3), 1)
    area = np.where(relocated, 25.0 * g.size, area)
    water = urban | (rng.random(n) < np.where(reg, 0.995, 0.95))

    banked = reg | (sel.income_group != NORMAL) | (rng.random(n) < np.where(urban, 0.92, 0.95))
    which = np.where(urban, pick(rng, [b[3] for b in names.BANKS], n), pick(rng, [b[2] for b in names.BANKS], n))
    cadre_name, cadre_phone = _cadres(rng, reg, unit)
    return HouseholdFacts(
        registered_year=year,
        status=status,
        status_date=status_date,
        monitored=monitored,
        causes=_causes(rng, g, health, poor_village, reg),
        housing_grade=labels("ABCD", grade),
        housing_area=pl.Series(area).round(1),
        water_safe=labels(("否", "是"), water.astype(np.int64)),
        bank_name=labels([b[0] for b in names.BANKS], np.where(banked, which, -1)),
        bank_account=keep_where(card_numbers(rng, [b[1] for b in names.BANKS], which), banked),
        cadre_name=cadre_name,
        cadre_phone=cadre_phone,
        relocated=relocated,
        water=water,
    )
