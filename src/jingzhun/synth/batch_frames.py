"""Seeded batch-engine input (the ``--households``/``--persons`` Parquet frames), for one run or a province.

``synthetic_frames`` draws households shaped like 吕梁's counties with their persons grouped by household
(as the registry exports them); ``write_province`` writes a province-scale dataset county by county —
``households/region=<code>/part-0.parquet`` and ``persons/region=<code>/part-0.parquet`` (Hive-style
partitions, the layout ``jingzhun entitle --engine spark`` and the county-by-county Polars path read) —
holding one county in memory at a time.

A synthetic 山西 has 117 county partitions (:func:`province_counties`: 山西's 11 cities with as many
county-level divisions as each has), but only 吕梁市's 13 counties have parameters (POLICY.md gives no other
city's 低保/特困 standards, and a number without a source is not invented here). So each county takes the
rules of one of the 13: 吕梁's 13 partitions are the real codes with their own rules; the other 104 have
**synthetic** codes — the city's real 4-digit prefix and 51, 52, … (not GB/T 2260 codes, so never taken
for a real county) — and the k-th of them takes the rules of ``regions.COUNTIES[k % 13]``. Every households
file carries that parameterised code in its ``rules_region`` column (the partition's own code for 吕梁);
the scale runners give the engine the households with ``region`` = ``rules_region`` and write the lines
under the partition's code (:func:`jingzhun.scale.datasets.with_rules_region`), so the pure engine and its
contract are untouched and a synthetic county's lines are exactly the ones its households get in the
吕梁 county whose rules it takes. A real province's datasets have no ``rules_region`` column: one
partition per county, each with its own parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from jingzhun.policy import regions

DISQUALIFIED_POOL = ["vehicle", "business", "civil_servant", "commercial_housing", "large_deposit"]


def synthetic_frames(
    n: int, seed: int, *, county: str | None = None, id_prefix: str = ""
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Seeded households shaped like a 吕梁 county, persons grouped by household (as the registry exports).

    1–5 persons per household (mean ≈ 3); 90 % rural; 40 % registered poor; per-capita income lognormal
    around 9 000 yuan a year (≈ 15 % below the 2020 rural 低保 standard); 5 % disqualified; about 6 %
    disabled, 10–15 % without own income or supporter (so ≈ 1 % are 特困). ``county`` puts every household
    in that county (else a random 吕梁 county each); ``id_prefix`` keeps ids unique across counties.
    """
    rng = np.random.default_rng(seed)
    sizes = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.12, 0.2, 0.3, 0.25, 0.13])
    codes = np.array(regions.COUNTIES)
    per_capita_fen = np.exp(rng.normal(np.log(900_000), 0.6, n)).astype(np.int64)
    hid = pl.Series("id", np.arange(n)).cast(pl.String).str.zfill(7)
    region = np.full(n, county) if county is not None else codes[rng.integers(0, len(codes), n)]
    households = pl.DataFrame(
        {
            "id": f"{id_prefix}H" + hid,
            "region": region,
            "area": np.where(rng.random(n) < 0.9, "rural", "urban"),
            "registered_poor": rng.random(n) < 0.4,
            "annual_income_fen": per_capita_fen * sizes,
        }
    ).with_columns(
        disqualified=pl.when(pl.Series(rng.random(n) < 0.05))
        .then(pl.concat_list(pl.lit(pl.Series(DISQUALIFIED_POOL)).gather(pl.Series(rng.integers(0, 5, n)))))
        .otherwise(pl.lit([], dtype=pl.List(pl.String)))
    )
    m = int(sizes.sum())
    owner = np.repeat(np.arange(n), sizes)
    start = dt.date(1920, 1, 1).toordinal()
    births = rng.integers(start, dt.date(2020, 6, 30).toordinal(), m) - dt.date(1970, 1, 1).toordinal()
    grades = rng.integers(1, 5, m)
    persons = pl.DataFrame(
        {
            "id": f"{id_prefix}P" + pl.Series(np.arange(m)).cast(pl.String).str.zfill(8),
            "household_id": households["id"].gather(owner),
            "birth_date": pl.Series(births.astype(np.int32)).cast(pl.Date),
            "disability_grade": pl.Series(np.where(rng.random(m) < 0.06, grades, 0)).cast(pl.Int8).replace(0, None),
            "disability_card_gen2": rng.random(m) < 0.05,
            "needs_long_term_care": rng.random(m) < 0.03,
            "disabled_elder_certified": rng.random(m) < 0.02,
            "self_care": np.array(["full", "partial", "none"])[rng.integers(0, 3, m)],
            "labour": np.array(["full", "partial", "none"])[rng.integers(0, 3, m)],
            "student": np.array(["none", "preschool", "compulsory", "senior", "college"])[rng.integers(0, 5, m)],
            "serious_illness": rng.random(m) < 0.03,
            "late_stage_major_disease": rng.random(m) < 0.003,
            "income_source": rng.random(m) < 0.85,
            "capable_supporter": rng.random(m) < 0.9,
            "care_setting": np.where(rng.random(m) < 0.8, "home", "institution"),
        }
    )
    return households, persons


@dataclass(frozen=True)
class ProvinceResult:
    households: int
    persons: int
    counties: int
    households_dir: Path
    persons_dir: Path


# 山西's 11 prefecture-level cities (GB/T 2260 prefixes) and how many county-level divisions each has: 117
SHANXI_CITIES: dict[str, int] = {
    "1401": 10,  # 太原
    "1402": 10,  # 大同
    "1403": 5,  # 阳泉
    "1404": 12,  # 长治
    "1405": 6,  # 晋城
    "1406": 6,  # 朔州
    "1407": 11,  # 晋中
    "1408": 13,  # 运城
    "1409": 14,  # 忻州
    "1410": 17,  # 临汾
    "1411": 13,  # 吕梁 (the real codes, regions.COUNTIES)
}
LVLIANG = "1411"
RULES_COLUMN = "rules_region"


def province_counties() -> dict[str, str]:
    """Every county of the synthetic 山西 → the parameterised 吕梁 county whose rules it takes (see the
    module's docstring): 吕梁's 13 real codes → themselves; 104 synthetic codes ``<city>51``, ``<city>52``, …
    → ``regions.COUNTIES[k % 13]`` for the k-th of them, in code order."""
    out = {code: code for code in regions.COUNTIES}
    k = 0
    for city, n in SHANXI_CITIES.items():
        if city == LVLIANG:
            continue
        for j in range(n):
            out[f"{city}{51 + j}"] = regions.COUNTIES[k % len(regions.COUNTIES)]
            k += 1
    return dict(sorted(out.items()))


def write_province(
    out: Path,
    households: int,
    seed: int,
    *,
    counties: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> ProvinceResult:
    """Write ``out/households`` and ``out/persons`` partitioned by county, one county in memory at a time.

    ``counties`` (default: all 117 of :func:`province_counties`) are codes of that mapping. Households are
    split as evenly as possible over them; each county draws from its own seed (``seed`` + its position in
    the province), so a county's rows do not depend on how many others are written, and are shaped like the
    吕梁 county whose rules it takes. The partition column ``region`` lives in the directory name only (Hive
    style), as Spark writes it; ``rules_region`` is a column of every households file.
    """
    if households < 1:
        raise ValueError("户数须为正整数")
    mapping = province_counties()
    position = {code: i for i, code in enumerate(mapping)}
    codes = list(mapping) if counties is None else list(counties)
    unknown = [c for c in codes if c not in mapping]
    if unknown:
        raise ValueError(
            f"未知县级区划代码: {', '.join(unknown)}"
            "（合成省份的县见 province_counties：吕梁市 13 个县市区和 104 个合成代码）"
        )
    h_dir, p_dir = out / "households", out / "persons"
    base, extra = divmod(households, len(codes))
    total_h = total_p = 0
    for i, code in enumerate(codes):
        n = base + (1 if i < extra else 0)
        if n == 0:
            continue
        rules = mapping[code]
        if progress:
            progress(f"县 {code}（参数：{rules} {regions.NAMES[rules]}）：{n:,} 户（{i + 1}/{len(codes)}）")
        h, p = synthetic_frames(n, seed + position[code], county=rules, id_prefix=code)
        h = h.rename({"region": RULES_COLUMN})
        for frame, root in ((h, h_dir), (p, p_dir)):
            part = root / f"region={code}"
            part.mkdir(parents=True, exist_ok=True)
            frame.write_parquet(part / "part-0.parquet")
        total_h += h.height
        total_p += p.height
    return ProvinceResult(total_h, total_p, len(codes), h_dir, p_dir)
