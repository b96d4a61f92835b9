"""Batch engine benchmark: 1 000 000 synthetic households / ~3 000 000 persons, compute_batch only (median of 3).

The frames are generated vectorised and seeded (not timed). Prints households/s and peak RSS and writes
bench/results/batch.json. Targets: ≤ 2 s and ≤ 2 GiB on the 2-core machine.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

from jingzhun.policy import regions
from jingzhun.policy.engine_batch import compute_batch
from jingzhun.policy.params import load_parameters

HOUSEHOLDS = 1_000_000
SEED = 2020
MONTH = "2020-06"
RUNS = 3  # the median is reported: the machine is shared, single runs vary
CPI = {"2020-06": {"all": "2.5", "food": "11.1"}}


def synthetic_frames(n: int, seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Seeded households shaped like a 吕梁 county, persons grouped by household (as the registry exports).

    1–5 persons per household (mean ≈ 3); 90 % rural; 40 % registered poor; per-capita income lognormal
    around 9 000 yuan a year (≈ 15 % below the 2020 rural 低保 standard); 5 % disqualified; about 6 %
    disabled, 10–15 % without own income or supporter (so ≈ 1 % are 特困).
    """
    rng = np.random.default_rng(seed)
    sizes = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.12, 0.2, 0.3, 0.25, 0.13])
    codes = np.array(regions.COUNTIES)
    disq_pool = ["vehicle", "business", "civil_servant", "commercial_housing", "large_deposit"]
    per_capita_fen = np.exp(rng.normal(np.log(900_000), 0.6, n)).astype(np.int64)
    hid = pl.Series("id", np.arange(n)).cast(pl.String).str.zfill(7)
    households = pl.DataFrame(
        {
            "id": "H" + hid,
            "region": codes[rng.integers(0, len(codes), n)],
            "area": np.where(rng.random(n) < 0.9, "rural", "urban"),
            "registered_poor": rng.random(n) < 0.4,
            "annual_income_fen": per_capita_fen * sizes,
        }
    ).with_columns(
        disqualified=pl.when(pl.Series(rng.random(n) < 0.05))
        .then(pl.concat_list(pl.lit(pl.Series(disq_pool)).gather(pl.Series(rng.integers(0, 5, n)))))
        .otherwise(pl.lit([], dtype=pl.List(pl.String)))
    )
    m = int(sizes.sum())
    owner = np.repeat(np.arange(n), sizes)
    start = dt.date(1920, 1, 1).toordinal()
    births = rng.integers(start, dt.date(2020, 6, 30).toordinal(), m) - dt.date(1970, 1, 1).toordinal()
    grades = rng.integers(1, 5, m)
    persons = pl.DataFrame(
        {
            "id": "P" + pl.Series(np.arange(m)).cast(pl.String).str.zfill(8),
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


def main() -> None:
    households, persons = synthetic_frames(HOUSEHOLDS, SEED)
    params = load_parameters()
    compute_batch(households.head(1000), persons.head(3000), MONTH, params=params, cpi=CPI)
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        lines = compute_batch(households, persons, MONTH, params=params, cpi=CPI)
        timings.append(time.perf_counter() - start)
    elapsed = statistics.median(timings)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "benchmark": "compute_batch",
        "households": households.height,
        "persons": persons.height,
        "lines": lines.height,
        "month": MONTH,
        "seconds": round(elapsed, 3),
        "runs_seconds": [round(t, 3) for t in timings],
        "households_per_second": round(households.height / elapsed),
        "peak_rss_mib": round(rss),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "targets": {"seconds": 2.0, "peak_rss_mib": 2048},
    }
    out = Path(__file__).resolve().parent / "results" / "batch.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"compute_batch: {households.height:,} households / {persons.height:,} persons → {lines.height:,} lines "
        f"in {elapsed:.2f} s = {households.height / elapsed:,.0f} households/s; peak RSS {rss:,.0f} MiB",
        file=sys.stderr,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
