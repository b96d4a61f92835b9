"""Province scale (issue #18): a synthetic province's month run, county by county with Polars vs Spark local[2].

    uv run --group spark python bench/bench_province.py [--households 10000000] [--engines polars,spark]

Writes the province once (``jingzhun synth --province`` layout, 13 吕梁 county partitions; kept in
``bench/results/province-<N>/`` for re-runs), then runs each engine in its own child process and prints,
per engine: wall seconds, households/s, the child's peak RSS (for Spark: the largest process of the run —
driver JVM + Python), and where the time went (check pass vs compute-and-write pass). Results also go to
bench/results/province.json. Not a timed test: figures depend on the machine and its load (printed).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
MONTH = "2020-06"
CPI = {"2020-06": {"all": "2.5", "food": "11.1"}}


def child(engine: str, data: Path, out: Path) -> None:
    """One engine's run, phases timed; prints one JSON line."""
    from jingzhun.policy.engine import month_end, parse_month
    from jingzhun.policy.params import load_parameters
    from jingzhun.scale import county_runs

    h_dir, p_dir = data / "households", data / "persons"
    params = load_parameters()
    phases: dict[str, float] = {}
    start = time.perf_counter()
    if engine == "polars":
        checked = county_runs.check_counties(h_dir, p_dir, month_end(parse_month(MONTH)), [])
        assert not checked.problems, checked.problems[:5]
        phases["check"] = time.perf_counter() - start
        t = time.perf_counter()
        summaries = county_runs.compute_counties(h_dir, p_dir, MONTH, out, params, cpi=CPI, history=None)
        phases["compute_and_write"] = time.perf_counter() - t
        households = sum(s.households for s in summaries)
        lines = sum(s.lines for s in summaries)
    else:
        from jingzhun.scale import spark_month

        spark = spark_month.session(os.environ.get("BENCH_SPARK_MASTER", "local[2]"), app="bench-province")
        phases["session"] = time.perf_counter() - start
        t = time.perf_counter()
        hh, pp = spark.read.parquet(str(h_dir)), spark.read.parquet(str(p_dir))
        problems = spark_month.check(spark, hh, pp, month_end(parse_month(MONTH)), [])
        assert not problems, problems[:5]
        phases["check"] = time.perf_counter() - t
        t = time.perf_counter()
        result = spark_month.compute(spark, hh, pp, MONTH, params, cpi=CPI, history=None)
        result.drop("message").write.mode("overwrite").partitionBy("region").parquet(str(out))
        phases["compute_and_write"] = time.perf_counter() - t
        households = hh.count()
        lines = spark.read.parquet(str(out)).count()
        spark.stop()
    wall = time.perf_counter() - start
    print(json.dumps({"engine": engine, "households": households, "lines": lines, "wall": wall, "phases": phases}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=10_000_000)
    parser.add_argument("--engines", default="polars,spark")
    parser.add_argument("--child", default="")
    parser.add_argument("--data", default="")
    parser.add_argument("--out", default="")
    options = parser.parse_args()
    if options.child:
        child(options.child, Path(options.data), Path(options.out))
        return
    data = RESULTS / f"province-{options.households}"
    if not (data / "households").exists():
        from jingzhun.synth.batch_frames import write_province

        t = time.perf_counter()
        r = write_province(data, options.households, 2020)
        print(f"wrote {r.households:,} households / {r.persons:,} persons in {time.perf_counter() - t:.1f} s")
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    figures = []
    for engine in options.engines.split(","):
        out = RESULTS / f"province-lines-{engine}"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(
            [sys.executable, __file__, "--child", engine, "--data", str(data), "--out", str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode:
            print(done.stderr[-3000:])
            raise SystemExit(done.returncode)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        row["peak_rss_mib"] = round(after.ru_maxrss / 1024)
        row["cpu_seconds"] = round((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), 1)
        row["households_per_second"] = round(row["households"] / row["wall"])
        row["load_after"] = round(os.getloadavg()[0], 1)
        figures.append(row)
        phases = ", ".join(f"{k} {v:.1f} s" for k, v in row["phases"].items())
        print(
            f"{engine:>6}: {row['households']:,} households → {row['lines']:,} lines in {row['wall']:.1f} s wall "
            f"({row['households_per_second']:,}/s), CPU {row['cpu_seconds']} s, peak RSS {row['peak_rss_mib']:,} MiB; "
            f"{phases}"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "province.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
