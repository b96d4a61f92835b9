"""The batch front door end to end: `jingzhun entitle --households --persons --out` on 1 000 000 households.

A real subprocess reads the two Parquet files, checks them (``policy/schema.py``), computes with the CPI
side file and writes the lines: the wall time and the child's peak RSS are the issue's figures (targets
≤ 1.5 s wall, ≤ 1 GiB). The input check alone is timed in-process too (median of 3), to show its share.
Writes bench/results/batch_cli.json.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_batch import CPI, MONTH, synthetic_frames

from jingzhun.policy.engine import month_end, parse_month
from jingzhun.policy.schema import check_frames

HOUSEHOLDS = 1_000_000
SEED = 2020
RUNS = 3


def main() -> None:
    households, persons = synthetic_frames(HOUSEHOLDS, SEED)
    checks = []
    for _ in range(RUNS):
        start = time.perf_counter()
        problems = check_frames(households, persons, month_end(parse_month(MONTH)))
        checks.append(time.perf_counter() - start)
    assert problems == [], problems[:5]
    command = str(Path(sys.executable).parent / "jingzhun")
    with tempfile.TemporaryDirectory() as tmp:
        h, p, out, cpi = (Path(tmp) / name for name in ("h.parquet", "p.parquet", "lines.parquet", "cpi.json"))
        households.write_parquet(h)
        persons.write_parquet(p)
        cpi.write_text(json.dumps(CPI), encoding="utf-8")
        args = [command, "entitle", "--households", str(h), "--persons", str(p), "--month", MONTH, "--out", str(out)]
        timings = []
        for _ in range(RUNS):
            start = time.perf_counter()
            subprocess.run([*args, "--cpi", str(cpi)], check=True, capture_output=True)
            timings.append(time.perf_counter() - start)
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    wall, check = statistics.median(timings), statistics.median(checks)
    result = {
        "benchmark": "entitle --households/--persons (subprocess, parquet in and out, checked input, CPI)",
        "households": households.height,
        "persons": persons.height,
        "month": MONTH,
        "wall_seconds": round(wall, 3),
        "runs_seconds": [round(t, 3) for t in timings],
        "check_seconds_in_process": round(check, 3),
        "peak_rss_mib_children": round(rss),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "targets": {"wall_seconds": 1.5, "peak_rss_mib": 1024},
    }
    path = Path(__file__).resolve().parent / "results" / "batch_cli.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"entitle batch: {households.height:,} households / {persons.height:,} persons in {wall:.2f} s wall "
        f"(input check {check:.2f} s of it), peak RSS {rss:,.0f} MiB",
        file=sys.stderr,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
