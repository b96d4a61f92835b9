"""Who is 特困, who is 建档立卡, who is flagged, and whose income falls below or near the 低保 standard.

Each group is a *quota* (counts in ``rates.py`` scaled to the county) filled by ranking households on a
risk score plus Gumbel noise — so the riskiest households are the likeliest picks, yet no household is
certain — which makes the published shares come out exactly rather than by chance:

* 特困: rural households of at most two persons in which everybody is ≥ 60, < 16, grade 1–2 disabled
  or without labour capacity (old singles, old couples, a grandparent raising an orphan), ranked
  singles and the very old first; all their members get no income and no capable supporter.
* 建档立卡: rural households ranked by disability, illness, lack of labour, old age, pupils in senior
  school or college and living in a 贫困村; a third of the 特困 persons' households are among them.
* below 3 744: first households with a second-generation card holder until the 1 770 (scaled)
  disability-subsidy persons are reached, then registered-poor and other households so that 35.3 %
  of them are registered poor; then a band up to 4 853, a band up to 6 000, a few flagged households
  (数据比对 hits) and 1.5 % of urban households below the urban standard. The ranking favours old,
  small households without a full worker but not the over-80s, so that about 12 % of the persons
  below the standard are 80–99, as 821 高龄 subsidies among 6 808 低保 persons in seed 000.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jingzhun.synth import rates
from jingzhun.synth.arrays import Bool, Float, Groups, Int, gumbel
from jingzhun.synth.health import COLLEGE, FULL, NONE, NOT_STUDENT, SENIOR, Health

NORMAL, LOW, BAND_2020, NEAR, URBAN_LOW, TEKUN = range(6)
DISQUALIFIED_LABELS = tuple(rates.DISQUALIFIED_P)


@dataclass(frozen=True)
class Selection:
    tekun: Bool  # per person
    institution: Bool  # per person: 集中供养
    registered: Bool  # per household
    disqualified: Int  # per household, a bit per DISQUALIFIED_LABELS entry; 0 = none
    income_group: Int  # per household: NORMAL … TEKUN


def _top(score: Float, eligible: Bool, k: int) -> Int:
    idx = np.flatnonzero(eligible)
    k = max(0, min(k, len(idx)))
    return idx[np.argsort(-score[idx], kind="stable")[:k]]


def _until(score: Float, eligible: Bool, weight: Int, target: int) -> Int:
    """Highest-scoring households until their summed ``weight`` reaches ``target``."""
    idx = np.flatnonzero(eligible)
    idx = idx[np.argsort(-score[idx], kind="stable")]
    cum = np.cumsum(weight[idx])
    return idx[: int(np.searchsorted(cum, target)) + 1] if target > 0 else idx[:0]


def _flag(mask: Bool, rows: Int) -> Bool:
    out = mask.copy()
    out[rows] = True
    return out


def select(
    rng: np.random.Generator, g: Groups, age: Float, health: Health, urban: Bool, poor_village: Bool, scale: float
) -> Selection:
    of = g.of
    rural = ~urban
    # POLICY §2's categories; a pupil or student of 16+ has no labour capacity but is not a 特困 candidate.
    in_school = (health.student != NOT_STUDENT) & (age >= 16)
    dependent = (age >= 60) | (age < 16) | ((health.grade >= 1) & (health.grade <= 2)) | (health.labour == NONE)
    dependent &= ~in_school
    max_age = g.max(age)
    severe = g.any((health.grade >= 1) & (health.grade <= 2))

    # 特困
    tekun_ok = rural & g.all(dependent) & (g.size <= 2)
    score = 1.0 * (g.size == 1) + 0.5 * (max_age >= 75) + 0.8 * severe + gumbel(rng, g.n)
    tekun_hh = _flag(np.zeros(g.n, bool), _until(score, tekun_ok, g.size, round(rates.TEKUN_PERSONS * scale)))
    tekun = tekun_hh[of]
    inst_score = health.self_care + gumbel(rng, len(of))
    n_inst = round(rates.TEKUN_INSTITUTION_SHARE * int(tekun.sum()))
    institution = _flag(np.zeros(len(of), bool), _top(inst_score, tekun, n_inst))

    # 建档立卡
    no_full = ~g.any(health.labour == FULL)
    higher_ed = g.any((health.student == SENIOR) | (health.student == COLLEGE))
    risk = (
        1.2 * g.any(health.grade > 0)
        + 1.0 * g.any(health.serious)
        + 0.8 * g.any(health.chronic)
        + 1.0 * no_full
        + 0.5 * (g.min(age) >= 60)
        + 0.4 * higher_ed
        + 1.2 * poor_village
    )
    forced = _until(gumbel(rng, g.n), tekun_hh, g.size, round(rates.TEKUN_REGISTERED_POOR_SHARE * int(tekun.sum())))
    registered = _flag(np.zeros(g.n, bool), forced)
    others = round(rates.REGISTERED_POOR_HOUSEHOLDS * scale) - len(forced)
    registered = _flag(registered, _top(risk + gumbel(rng, g.n), rural & ~tekun_hh, others))

    # A late-stage major disease is five times as common among the registered poor (seed 000: 大病关怀).
    extra = (rates.LATE_STAGE_POOR_FACTOR - 1) * rates.LATE_STAGE * np.where(age >= 45, 2.0, 0.5)
    health.set_late_stage(np.flatnonzero(registered[of] & (rng.random(len(of)) < extra)))

    # 取消资格情形
    flags = np.zeros(g.n, dtype=np.int64)
    factor = np.where(tekun_hh, 0.0, np.where(registered, rates.DISQUALIFIED_POOR_FACTOR, 1.0))
    for bit, (p_rural, p_urban) in enumerate(rates.DISQUALIFIED_P.values()):
        flags |= (rng.random(g.n) < np.where(urban, p_urban, p_rural) * factor).astype(np.int64) << bit
    disqualified = flags != 0

    # Incomes below and near the standards
    card = health.card_gen2 & ~tekun
    cards = g.sum(card)
    score = (
        0.8 * (g.min(age) >= 60)
        - 0.8 * g.any(age >= 80)
        + 1.0 * ~g.any(health.labour == FULL)
        + 0.8 * g.any(health.serious)
        + 0.6 * (g.size <= 2)
        + 0.5 * poor_village
        + 0.8 * registered
        + gumbel(rng, g.n)
    )
    group = np.where(tekun_hh, TEKUN, NORMAL)
    open_ = rural & ~tekun_hh & ~disqualified
    quota = round(rates.DIBAO_HOUSEHOLDS * scale)
    low = _until(score + 1.0 * severe, open_ & (cards > 0), cards, round(rates.DISABILITY_SUBSIDY_PERSONS * scale))
    low = low[:quota]
    group[low] = LOW
    need_poor = max(0, round(quota * rates.DIBAO_REGISTERED_POOR_SHARE) - int(registered[low].sum()))
    for want_registered, k in ((True, need_poor), (False, quota - len(low) - need_poor)):
        mask = (group == NORMAL) & open_ & (registered == want_registered)
        picked = _top(score, mask & (cards == 0), k)
        picked = np.r_[picked, _top(score, mask & (cards > 0), k - len(picked))]
        group[picked] = LOW
    shortfall = quota - int((group == LOW).sum())
    group[_top(score, (group == NORMAL) & open_, shortfall)] = LOW
    for grp, share in ((BAND_2020, rates.DIBAO_2020_BAND_SHARE), (NEAR, rates.NEAR_BAND_SHARE)):
        group[_top(score, (group == NORMAL) & open_, round(quota * share))] = grp
    flagged_low = round(quota * rates.EXTRA_DISQUALIFIED_SHARE)
    group[_top(score, rural & disqualified & ~tekun_hh, flagged_low)] = LOW
    group[_top(score, urban, round(rates.URBAN_LOW_INCOME_SHARE * int(urban.sum())))] = URBAN_LOW
    return Selection(tekun, institution, registered, flags, group.astype(np.int64))
