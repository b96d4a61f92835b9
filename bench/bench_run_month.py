"""Benchmark: `run-month` over a 100 000-household county (targets: < 30 s and < 2 GiB; idempotent re-run < 10 s).

    uv run python bench/bench_run_month.py [--households 100000] [--month 2020-06] [--no-postgres]

Untimed preparation: the synthetic 离石区 (``synth.generate.generate_county``), imported through the
registry importer into a fresh SQLite file and into a dedicated PostgreSQL database ``jingzhun_bench_ledger``
(created and dropped here with psycopg), then 存量迁入 of every eligible household
(``assistance.roll.approve_eligible``). Timed, in a fresh process per database so its peak RSS is the
run's own: the first run of the month, the idempotent re-run, and a re-run under a reform (the 低保
standard raised), which appends adjustment lines. Writes ``bench/results/run_month.json``.
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

PG_BENCH_DB = "jingzhun_bench_ledger"
TARGETS = {"first_run_seconds": 30.0, "rerun_seconds": 10.0, "peak_rss_mb": 2048.0}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(files: list[str], month: str) -> dict[str, Any]:
    """Worker: migrate, import the synthetic files, enrol every eligible household."""
    actor, import_seconds = _driver.import_synthetic(files)
    from jingzhun.assistance.models import Enrollment
    from jingzhun.assistance.roll import approve_eligible

    imported = time.perf_counter()
    counts = approve_eligible(actor, month)
    return {
        "import_seconds": round(import_seconds, 1),
        "approve_seconds": round(time.perf_counter() - imported, 1),
        "enrollments": Enrollment.objects.count(),
        "enrolled_by_family": counts,
    }


def run(month: str) -> dict[str, Any]:
    """Worker: time the first run, the idempotent re-run and a reform re-run."""
    from jingzhun.cli.djsetup import setup

    setup()
    from jingzhun.core.actions import Actor
    from jingzhun.ledger.models import PaymentLine, RunSnapshot
    from jingzhun.ledger.runs import run_month
    from jingzhun.policy.params import load_parameters
    from jingzhun.policy.reforms import apply_reform, parse_reform

    actor = Actor.system("bench")
    out: dict[str, Any] = {}

    def timed(name: str, **kwargs: Any) -> Any:
        """Wall seconds, and this process's CPU seconds (all its threads; not the PostgreSQL server's):
        on a shared, loaded machine the CPU figure is what an idle machine would take, roughly."""
        wall, cpu = time.perf_counter(), time.process_time()
        result = run_month(month, actor=actor, **kwargs)
        out[f"{name}_seconds"] = round(time.perf_counter() - wall, 2)
        out[f"{name}_cpu_seconds"] = round(time.process_time() - cpu, 2)
        out[f"{name}_load_average"] = round(os.getloadavg()[0], 1)
        return result

    first = timed("first_run")
    out["lines"] = first.lines_added
    out["households_paid"] = first.households
    out["amount_yuan"] = first.total_fen / 100
    out["lines_per_second"] = round(first.lines_added / out["first_run_seconds"])
    out["peak_rss_mb_after_first_run"] = round(_peak_rss_mb())
    again = timed("rerun")
    assert again.kind == "noop" and again.lines_added == 0, again
    raw = {"name": "bench", "changes": [{"parameter": "dibao.standard.rural", "from": "2020-01-01", "value": "6000"}]}
    adjusted = timed("reform_rerun", params=apply_reform(load_parameters(), parse_reform(raw)))
    out["adjustment_lines"] = adjusted.lines_added
    assert adjusted.amount_added_fen == adjusted.total_fen - first.total_fen
    out["ledger_lines"] = PaymentLine.objects.count()
    out["snapshot_mb"] = round(RunSnapshot.objects.get(sha256=first.inputs_sha256).size / 2**20, 2)
    out["peak_rss_mb"] = round(_peak_rss_mb())
    return out


def _worker(env: dict[str, str], *args: str) -> dict[str, Any]:
    return _driver.child(__file__, env, "--worker", *args, show_output=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--month", default="2020-06")
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, *rest = args.worker
        result = prepare(rest, args.month) if kind == "prepare" else run(args.month)
        print(json.dumps(result, ensure_ascii=False))
        return

    results: dict[str, Any] = {
        "households": args.households,
        "month": args.month,
        "targets": TARGETS,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()},
    }
    with tempfile.TemporaryDirectory(prefix="jingzhun-bench-ledger-") as tmp, ExitStack() as stack:
        synth = _driver.synthesise(args.households, args.seed, tmp)
        results["persons"] = synth.persons
        targets = {"sqlite": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"}
        if not args.no_postgres:
            targets["postgresql"] = stack.enter_context(_driver.pg_database(PG_BENCH_DB, force=True))
        for name, url in targets.items():
            env = {**os.environ, "DATABASE_URL": url, "JINGZHUN_HOME": tmp}
            files = [str(synth.regions_path), str(synth.households_path)]
            prepared = _worker(env, "prepare", *files)
            print(f"{name}: prepared {prepared}")
            timing = _worker(env, "run")
            results[name] = {**prepared, **timing}
            met = all(timing[key] < limit for key, limit in TARGETS.items())
            print(
                f"{name}: first run {timing['first_run_seconds']}s (CPU {timing['first_run_cpu_seconds']}s; "
                f"{timing['lines']} lines, {timing['lines_per_second']:,} lines/s), "
                f"re-run {timing['rerun_seconds']}s (CPU {timing['rerun_cpu_seconds']}s), "
                f"reform re-run {timing['reform_rerun_seconds']}s ({timing['adjustment_lines']} adjustments), "
                f"peak RSS {timing['peak_rss_mb']} MB, load {timing['rerun_load_average']} — "
                f"{'targets met' if met else 'TARGET MISSED'}"
            )
    print(f"written {_driver.write_results('run_month', results)}")


if __name__ == "__main__":
    main()
