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
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
COUNTY = "141102"
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = "jingzhun_bench_ledger"
TARGETS = {"first_run_seconds": 30.0, "rerun_seconds": 10.0, "peak_rss_mb": 2048.0}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(files: list[str], month: str) -> dict[str, Any]:
    """Worker: migrate, import the synthetic files, enrol every eligible household."""
    from jingzhun.cli.djsetup import setup

    setup()
    from django.core.management import call_command

    from jingzhun.assistance.models import Enrollment
    from jingzhun.assistance.roll import approve_eligible
    from jingzhun.core.actions import Actor
    from jingzhun.registry.importer import import_file

    call_command("migrate", verbosity=0)
    actor = Actor.system("bench")
    started = time.perf_counter()
    for path in files:
        report = import_file(Path(path), actor=actor)
        assert report.written and not report.errors, report.errors[:5]
    imported = time.perf_counter()
    counts = approve_eligible(actor, month)
    return {
        "import_seconds": round(imported - started, 1),
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
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", *args], env=env, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"benchmark worker {args[0]} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


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

    from jingzhun.synth.generate import generate_county

    results: dict[str, Any] = {
        "households": args.households,
        "month": args.month,
        "targets": TARGETS,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()},
    }
    with tempfile.TemporaryDirectory(prefix="jingzhun-bench-ledger-") as tmp:
        t = time.perf_counter()
        synth = generate_county(COUNTY, args.households, args.seed, Path(tmp) / "synth")
        results["persons"] = synth.persons
        print(f"synthesised {synth.households} households / {synth.persons} persons in {time.perf_counter() - t:.1f}s")
        targets = {"sqlite": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"}
        if not args.no_postgres:
            _pg(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
            _pg(f"CREATE DATABASE {PG_BENCH_DB}")
            targets["postgresql"] = (
                PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql:", "postgres:") + "/" + PG_BENCH_DB
            )
        try:
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
        finally:
            if not args.no_postgres:
                _pg(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
    out = HERE / "results" / "run_month.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written {out}")


if __name__ == "__main__":
    main()
