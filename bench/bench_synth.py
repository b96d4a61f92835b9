"""Benchmark: synthesise a 1 000 000-household 离石区 to CSV (target < 60 s).

    uv run python bench/bench_synth.py [--households 1000000] [--format csv|xlsx] [--seed 2018] [--keep DIR]

Times ``generate_county`` end to end (every stage and the file write) in this process, prints
households/s, persons/s, the seconds of each stage, CPU seconds and peak RSS (resource.getrusage), and
writes bench/results/synth.json. The machine may be shared: the 1-minute load average before and after
is recorded beside the wall time, and CPU seconds show what the run itself used.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

from jingzhun.synth.generate import generate_county

HERE = Path(__file__).resolve().parent
TARGET_SECONDS = 60.0


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--region", default="141102")
    parser.add_argument("--keep", type=Path, help="write the files here instead of a temporary directory")
    args = parser.parse_args()

    stages: list[tuple[str, float, float]] = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="jingzhun-synth-") as tmp:
        out = args.keep or Path(tmp)
        cpu0, t0 = _cpu_seconds(), time.perf_counter()
        result = generate_county(
            args.region,
            args.households,
            args.seed,
            out,
            args.format,
            progress=lambda message: stages.append((message, time.perf_counter() - t0, _cpu_seconds() - cpu0)),
        )
        seconds = time.perf_counter() - t0
        cpu = _cpu_seconds() - cpu0
        size_mb = result.households_path.stat().st_size / 2**20
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    ends = [(wall, used) for _, wall, used in stages[1:]] + [(seconds, cpu)]
    stage_seconds = {
        message.rstrip("…"): {"wall": round(end - wall, 2), "cpu": round(end_cpu - used, 2)}
        for (message, wall, used), (end, end_cpu) in zip(stages, ends, strict=True)
    }
    results = {
        "households": result.households,
        "persons": result.persons,
        "villages": result.villages,
        "format": args.format,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "households_per_second": round(result.households / seconds),
        "persons_per_second": round(result.persons / seconds),
        "peak_rss_mb": round(peak_mb),
        "file_mb": round(size_mb, 1),
        "target_seconds": TARGET_SECONDS if args.households >= 1_000_000 and args.format == "csv" else None,
        "stages": stage_seconds,
        "load_average_1min": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "seed": args.seed,
        "region": args.region,
    }
    for stage, t in stage_seconds.items():
        print(f"  {t['wall']:7.2f} s wall {t['cpu']:7.2f} s CPU  {stage}")
    print(
        f"{result.households:,} households / {result.persons:,} persons → {args.format} {size_mb:,.0f} MB "
        f"in {seconds:.1f} s ({cpu:.1f} CPU s): {results['households_per_second']:,} households/s, "
        f"peak RSS {peak_mb:,.0f} MB, load {load_before:.1f} → {os.getloadavg()[0]:.1f}"
    )
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "synth.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    if results["target_seconds"] and seconds > TARGET_SECONDS:
        raise SystemExit(f"slower than the {TARGET_SECONDS:.0f} s target")


if __name__ == "__main__":
    main()
