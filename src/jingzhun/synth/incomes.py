"""Each person's 2019 income by source, in fen, and whether they have a capable supporter.

First every person gets a *base* income from their labour capacity, age and area [default shapes,
lognormal, medians in yuan/year]:

* rural full labour: wages 55 % (median 20 000, migrant work), farming 65 % (4 500), business 6 %;
  partial labour: wages 15 % (8 000), farming 60 % (2 500);
* urban full labour: wages 85 % (38 000), business 12 % (45 000), property 10 %;
* 60+: the residents' basic pension 1 296 (108 a month) or, for 60 % of urban elders, a retirement
  pension (median 36 000); children's support (赡养费) for many; 退耕还林 subsidies for 30 % of rural heads;
* registered-poor households: 小额贷款 dividends of 3 500 [seed 000, seed 002: "每户贫困户享受利息分红
  3500元"] or smaller 光伏/合作社 dividends, and a 护林员/公益岗 wage of 9 600 for one member in ten
  [seed 000: "林业管护员，年收入 9600元"].

Then the income group chosen in ``selection.py`` sets the household's per-capita income (over members
who are not 特困): below 3 744 (a Beta(2.2, 1.3) share of it), 3 744–4 853, 4 853–6 000, urban below
5 040, or — everyone else — at least 6 000 plus an exponential margin (the shortfall is made up as
wages of a working member or as the head's transfer income). 特困 persons have no own income.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jingzhun.synth import rates
from jingzhun.synth.arrays import Bool, Float, Groups, Int
from jingzhun.synth.health import FULL, PARTIAL, Health
from jingzhun.synth.selection import BAND_2020, LOW, NEAR, NORMAL, URBAN_LOW, Selection

PENSION = 1296
FOREST_RANGER = 9600
LOAN_DIVIDEND = 3500


@dataclass(frozen=True)
class Incomes:
    wages: Int  # fen per year
    farming: Int
    business: Int
    property_income: Int
    transfer: Int
    capable_supporter: Bool


def _draw(rng: np.random.Generator, mask: Bool, p: float | Float, median: float, sigma: float) -> Float:
    n = len(mask)
    hit = np.flatnonzero(mask & (rng.random(n) < p))
    out = np.zeros(n)
    out[hit] = np.round(rng.lognormal(np.log(median), sigma, len(hit)))
    return out


def draw_incomes(
    rng: np.random.Generator, g: Groups, age: Float, health: Health, urban: Bool, sel: Selection, template_old: Bool
) -> Incomes:
    of, n = g.of, len(g.of)
    u = urban[of]
    full, partial = health.labour == FULL, health.labour == PARTIAL
    head = np.zeros(n, bool)
    head[g.start] = True
    reg = sel.registered[of]
    old = age >= 60

    wages = _draw(rng, full & ~u, 0.55, 20000, 0.45) + _draw(rng, partial & ~u, 0.15, 8000, 0.5)
    wages += _draw(rng, full & u, 0.85, 38000, 0.45) + _draw(rng, partial & u, 0.3, 15000, 0.5)
    farming = _draw(rng, full & ~u, 0.65, 4500, 0.6) + _draw(rng, partial & ~u, 0.6, 2500, 0.6)
    business = _draw(rng, full & ~u, 0.06, 25000, 0.6) + _draw(rng, partial & ~u, 0.02, 12000, 0.6)
    business += _draw(rng, full & u, 0.12, 45000, 0.6)
    prop = _draw(rng, head & ~u & ~reg, 0.25, 1200, 0.7) + _draw(rng, full & u, 0.10, 3000, 0.8)
    dividend = np.where(rng.random(n) < 0.4, float(LOAN_DIVIDEND), np.round(rng.lognormal(np.log(800), 0.5, n)))
    prop += np.where(head & reg & (rng.random(n) < 0.5), dividend, 0.0)
    retired = old & u & (rng.random(n) < 0.6)
    transfer = np.where(retired, np.round(rng.lognormal(np.log(36000), 0.35, n)), np.where(old, float(PENSION), 0.0))
    transfer += _draw(rng, old, np.where(u, 0.3, 0.5), 2000, 0.6)
    transfer += _draw(rng, head & ~u, 0.3, 1500, 0.5)
    ranger_hh = sel.registered & (rng.random(g.n) < 0.1)
    worker = np.where(full | partial, np.arange(n), n)
    first_worker = np.minimum.reduceat(worker, g.start)
    ranger = first_worker[ranger_hh & (first_worker < n)]
    wages[ranger] += FOREST_RANGER

    fen = [np.round(x * 100).astype(np.int64) for x in (wages, farming, business, prop, transfer)]
    tekun = sel.tekun
    for col in fen[:4]:
        col[tekun] = 0
    members = g.sum(~tekun)

    group = sel.income_group
    r = rng.random(g.n)
    target = np.zeros(g.n)
    target = np.where(group == LOW, rates.DIBAO_RURAL_2018 * np.maximum(rng.beta(2.2, 1.3, g.n), 0.08), target)
    target = np.where(
        group == BAND_2020, rates.DIBAO_RURAL_2018 + r * (rates.DIBAO_RURAL_2020 - rates.DIBAO_RURAL_2018), target
    )
    target = np.where(group == NEAR, rates.DIBAO_RURAL_2020 + r * (rates.NEAR_TOP - rates.DIBAO_RURAL_2020), target)
    target = np.where(group == URBAN_LOW, rates.DIBAO_URBAN * np.maximum(rng.beta(2.5, 1.3, g.n), 0.08), target)
    target_fen = np.floor(target * 100).astype(np.int64) * members
    total = sum(g.sum(c) for c in fen)

    placed = np.isin(group, [LOW, BAND_2020, NEAR, URBAN_LOW])
    factor = np.where(placed & (total > 0), target_fen / np.maximum(total, 1), 1.0)[of]
    for col in fen:
        col[:] = np.floor(col * factor).astype(np.int64)
    residual = np.where(placed, target_fen - sum(g.sum(c) for c in fen), 0)
    fen[4][g.start] += residual

    floor_fen = np.round((rates.NEAR_TOP + rng.exponential(2500, g.n)) * 100).astype(np.int64) * members
    total = sum(g.sum(c) for c in fen)
    deficit = np.where((group == NORMAL) & (total < floor_fen), floor_fen - total, 0)
    has_worker = first_worker < n
    to_wages = deficit > 0
    fen[0][first_worker[to_wages & has_worker]] += deficit[to_wages & has_worker]
    fen[4][g.start[to_wages & ~has_worker]] += deficit[to_wages & ~has_worker]

    own = (fen[0] + fen[1] + fen[2] + fen[3]) > 0
    childless_old = template_old[of] & own & (rng.random(n) < 0.4)
    capable = ~tekun & ~childless_old
    wages_fen, farming_fen, business_fen, property_fen, transfer_fen = fen
    return Incomes(wages_fen, farming_fen, business_fen, property_fen, transfer_fen, capable)
