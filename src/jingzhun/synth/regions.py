"""Townships, villages and communities of one county, and which village each household lives in.

The number of villages grows with the square root of the household count (about 300 villages for
20 000 households, 25 a township; about 2 100 for a million), so a demo county has villages of a few
dozen households and a big one villages of a few hundred, as 马家沟村 (128 户) and 梁家焉村 (203 户) in
the seeds [default]. Urban households live in 社区 (listed at 层级 村, as the import template has no
separate level), which are given six times the households of a village [default]. About 48 % of rural
villages are 贫困村: 93 of 离石区's 193 行政村 [seed 002].
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import polars as pl

from jingzhun.synth import names
from jingzhun.synth.arrays import Bool, Int
from jingzhun.synth.counties import COUNTY_TOWNSHIPS, Township

VILLAGES_PER_SQRT_HOUSEHOLD = 2.12
COMMUNITY_SIZE_FACTOR = 6.0
POOR_VILLAGE_SHARE = 93 / 193
MAX_UNITS_PER_TOWNSHIP = 999


@dataclass(frozen=True)
class Places:
    """Townships and their villages/communities (``units``), and each household's unit (households sorted by unit)."""

    county: str
    townships: tuple[Township, ...]
    unit_code: list[str]
    unit_name: list[str]
    unit_township: Int
    unit_urban: Bool
    unit_poor: Bool
    household_unit: Int  # per household, non-decreasing
    household_rank: Int  # 0-based position of the household within its unit

    def regions_frame(self) -> pl.DataFrame:
        """The regions file: 区域代码, 名称, 层级, 上级代码 (townships, then villages in code order)."""
        t_codes = [f"{self.county}{t.code3}000" for t in self.townships]
        return pl.DataFrame(
            {
                "区域代码": t_codes + self.unit_code,
                "名称": [t.name for t in self.townships] + self.unit_name,
                "层级": ["乡镇"] * len(t_codes) + ["村"] * len(self.unit_code),
                "上级代码": [self.county] * len(t_codes) + [t_codes[i] for i in self.unit_township.tolist()],
            }
        )


def _village_names(rng: np.random.Generator, taken: set[str]) -> Iterator[str]:
    """Unique village names: 王家沟村, 上水坪村 first, then 前高家塔村, then numbered (王家沟二村)."""
    clans = [f"{c}家" for c in names.VILLAGE_CLANS]
    short = [f"{a}{s}" for a in [*clans, *names.VILLAGE_WORDS] for s in names.VILLAGE_SUFFIXES]
    long = [f"{p}{c}{s}" for p in names.VILLAGE_POSITIONS for c in clans for s in names.VILLAGE_SUFFIXES]
    stems = [short[i] for i in rng.permutation(len(short))] + [long[i] for i in rng.permutation(len(long))]
    stems = list(dict.fromkeys(stems))
    yield from (f"{s}村" for s in stems if f"{s}村" not in taken)
    for k in itertools.count(2):
        yield from (f"{s}{_numeral(k)}村" for s in stems)


def _community_names(rng: np.random.Generator, taken: set[str]) -> Iterator[str]:
    """Unique 社区 names: 东关社区 first, then 东关东社区, then numbered (东关第二社区)."""
    stems = [names.COMMUNITY_STEMS[i] for i in rng.permutation(len(names.COMMUNITY_STEMS))]
    yield from (f"{s}社区" for s in stems if f"{s}社区" not in taken)
    yield from (f"{s}{p}社区" for p in names.COMMUNITY_PARTS[1:] for s in stems)
    for k in itertools.count(2):
        yield from (f"{s}第{_numeral(k)}社区" for s in stems)


def _numeral(k: int) -> str:
    digits = "零一二三四五六七八九"
    return digits[k] if k < 10 else ("十" if k < 20 else digits[k // 10] + "十") + (digits[k % 10] if k % 10 else "")


def _unit_counts(townships: tuple[Township, ...], households: int) -> list[tuple[int, int]]:
    """(communities, villages) per township."""
    total = max(len(townships), round(VILLAGES_PER_SQRT_HOUSEHOLD * households**0.5))
    demand = [t.weight * ((1 - t.urban) + t.urban / COMMUNITY_SIZE_FACTOR) for t in townships]
    out = []
    for t, d in zip(townships, demand, strict=True):
        units = max(1, round(total * d / sum(demand)))
        communities = round(units * (t.weight * t.urban / COMMUNITY_SIZE_FACTOR) / d) if t.urban > 0 else 0
        if t.urban > 0:
            communities = max(1, communities)
        villages = max(1 if t.urban < 1 else 0, units - communities)
        scale = min(1.0, MAX_UNITS_PER_TOWNSHIP / (communities + villages))
        out.append(
            (max(1 if t.urban else 0, int(communities * scale)), max(1 if t.urban < 1 else 0, int(villages * scale)))
        )
    return out


def place_households(county: str, households: int, rng: np.random.Generator) -> Places:
    if county not in COUNTY_TOWNSHIPS:
        raise ValueError(f"未知的县级区划代码：{county}（可选：{'、'.join(COUNTY_TOWNSHIPS)}）")
    townships = COUNTY_TOWNSHIPS[county]
    known_v = {v for t in townships for v in t.villages}
    known_c = {c for t in townships for c in t.communities}
    village_pool = _village_names(rng, known_v)
    community_pool = _community_names(rng, known_c)

    codes: list[str] = []
    unit_names: list[str] = []
    unit_township: list[int] = []
    unit_urban: list[bool] = []
    for ti, (t, (n_comm, n_vill)) in enumerate(zip(townships, _unit_counts(townships, households), strict=True)):
        comm = list(t.communities[:n_comm])
        comm += [next(community_pool) for _ in range(n_comm - len(comm))]
        vill = list(t.villages[:n_vill])
        vill += [next(village_pool) for _ in range(n_vill - len(vill))]
        for i, name in enumerate(comm + vill):
            codes.append(f"{county}{t.code3}{i + 1:03d}")
            unit_names.append(name)
            unit_township.append(ti)
            unit_urban.append(i < len(comm))

    u_township = np.array(unit_township, dtype=np.int64)
    u_urban = np.array(unit_urban, dtype=bool)
    u_poor = ~u_urban & (rng.random(len(codes)) < POOR_VILLAGE_SHARE)
    size_weight = rng.lognormal(0.0, 0.5, len(codes)) * np.where(u_urban, COMMUNITY_SIZE_FACTOR, 1.0)

    per_township = rng.multinomial(
        households, np.array([t.weight for t in townships]) / sum(t.weight for t in townships)
    )
    per_unit = np.zeros(len(codes), dtype=np.int64)
    for ti, (t, n_t) in enumerate(zip(townships, per_township, strict=True)):
        comm_idx = np.flatnonzero((u_township == ti) & u_urban)
        vill_idx = np.flatnonzero((u_township == ti) & ~u_urban)
        n_urban = n_t if len(vill_idx) == 0 else (0 if len(comm_idx) == 0 else rng.binomial(n_t, t.urban))
        for idx, n in ((comm_idx, n_urban), (vill_idx, n_t - n_urban)):
            if n:
                w = size_weight[idx]
                per_unit[idx] = rng.multinomial(n, w / w.sum())

    household_unit = np.repeat(np.arange(len(codes), dtype=np.int64), per_unit)
    starts = np.cumsum(per_unit) - per_unit
    household_rank = np.arange(households, dtype=np.int64) - starts[household_unit]
    return Places(county, townships, codes, unit_names, u_township, u_urban, u_poor, household_unit, household_rank)
