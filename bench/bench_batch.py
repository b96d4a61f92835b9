"""Batch engine benchmark: 1 000 000 synthetic households / ~3 000 000 persons, compute_batch only (median of 3).

The frames are generated vectorised and seeded (not timed). Prints households/s and peak RSS and writes
bench/results/batch.json. Targets: ≤ 2 s and ≤ 2 GiB on the 2-core machine.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

from jingzhun.policy.engine_batch import compute_batch
from jingzhun.policy.params import load_parameters
from jingzhun.synth.batch_frames import synthetic_frames

HOUSEHOLDS = 1_000_000
SEED = 2020
MONTH = "2020-06"
RUNS = 3  # the median is reported: the machine is shared, single runs vary
CPI = {"2020-06": {"all": "2.5", "food": "11.1"}}
__all__ = ["CPI", "MONTH", "synthetic_frames"]


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
