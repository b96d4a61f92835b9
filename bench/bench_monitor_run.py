"""Benchmark: `jingzhun monitor run` (返贫预警 over the database) for a 100 000-household county
(target: first run < 30 s; the idempotent re-run printed too).

    uv run python bench/bench_monitor_run.py [--households 100000] [--month 2020-06] [--postgres]

Untimed preparation: the synthetic 离石区 (``synth.generate.generate_county``) imported through the registry
importer into a fresh SQLite file (and, with ``--postgres``, a dedicated database ``jingzhun_bench_monitor``,
created and dropped here). Timed, in a fresh process: the first run of the month (documents built with
Polars, the pure rules, flags and cases written in one transaction) and the re-run (nothing new). Prints
wall and CPU seconds, households/s and peak RSS; writes ``bench/results/monitor_run.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import _driver  # the PostgreSQL database, the child process, the synthetic county

COUNTY = _driver.COUNTY

PG_BENCH_DB = "jingzhun_bench_monitor"
TARGET_SECONDS = 30.0


def prepare(files: list[str]) -> dict[str, Any]:
    _, seconds = _driver.import_synthetic(files)
    return {"import_seconds": round(seconds, 1)}


def run(month: str) -> dict[str, Any]:
    from jingzhun.cli.djsetup import setup

    setup()
    import datetime as dt

    from jingzhun.core.actions import Actor
    from jingzhun.monitoring.cases.assess import run_assessment

    first = dt.date.fromisoformat(f"{month}-01")
    out: dict[str, Any] = {}
    for name in ("first_run", "rerun"):
        wall, cpu = time.perf_counter(), time.process_time()
        result = run_assessment(first, actor=Actor.system("bench"), region_prefix=COUNTY)
        out[f"{name}_seconds"] = round(time.perf_counter() - wall, 2)
        out[f"{name}_cpu_seconds"] = round(time.process_time() - cpu, 2)
        out[name] = result.as_dict()
    out["households_per_second"] = round(out["first_run"]["assessed"] / out["first_run_seconds"])
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out["load_average"] = round(os.getloadavg()[0], 1)
    assert out["rerun"]["flags_new"] == 0 and out["rerun"]["cases_opened"] == 0
    return out


def _worker(env: dict[str, str], *args: str) -> dict[str, Any]:
    return _driver.child(__file__, env, "--worker", *args, show_output=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--month", default="2020-06")
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, *rest = args.worker
        print(json.dumps(prepare(rest) if kind == "prepare" else run(args.month), ensure_ascii=False))
        return

    results: dict[str, Any] = {
        "households": args.households,
        "month": args.month,
        "target_seconds": TARGET_SECONDS,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()},
    }
    with tempfile.TemporaryDirectory(prefix="jingzhun-bench-monitor-") as tmp, ExitStack() as stack:
        synth = _driver.synthesise(args.households, args.seed, tmp)
        targets = {"sqlite": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"}
        if args.postgres:
            targets["postgresql"] = stack.enter_context(_driver.pg_database(PG_BENCH_DB, force=True))
        for name, url in targets.items():
            env = {**os.environ, "DATABASE_URL": url, "JINGZHUN_HOME": tmp}
            prepared = _worker(env, "prepare", str(synth.regions_path), str(synth.households_path))
            timing = _worker(env, "run")
            results[name] = {**prepared, **timing}
            first = timing["first_run"]
            print(
                f"{name}: first run {timing['first_run_seconds']}s (CPU {timing['first_run_cpu_seconds']}s), "
                f"{first['assessed']} households assessed ({timing['households_per_second']:,}/s), "
                f"{first['flagged']} flagged {first['levels']}, {first['cases_opened']} cases; "
                f"re-run {timing['rerun_seconds']}s (CPU {timing['rerun_cpu_seconds']}s); "
                f"peak RSS {timing['peak_rss_mb']} MB; load {timing['load_average']} — "
                f"{'target met' if timing['first_run_seconds'] < TARGET_SECONDS else 'TARGET MISSED'}"
            )
    print(f"written {_driver.write_results('monitor_run', results)}")


if __name__ == "__main__":
    main()
