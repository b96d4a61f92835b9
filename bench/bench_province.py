"""Province scale (issue #18): a synthetic province's month run, county by county with Polars vs Spark local[2].

    uv run --group spark python bench/bench_province.py [--households 10000000] [--engines polars,spark]

Writes the province once (``jingzhun synth --province`` layout, 13 吕梁 county partitions; kept in
``bench/results/province-<N>/`` for re-runs), then runs each engine in its own child process and prints,
per engine: wall seconds, households/s, CPU seconds and peak RSS of the whole process tree (for Spark: the
driver, its JVM and the Python workers, summed), and where the time went (Polars: check pass vs
compute-and-write pass; Spark: ``spark_month.run``'s stages — the one co-grouped check-and-compute pass,
the cross-county id check, the writes). Results also go to bench/results/province.json. Not a timed
test: figures depend on the machine and its load (printed).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
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
        cpi = out.parent / "province-cpi.json"
        cpi.write_text(json.dumps(CPI), encoding="utf-8")
        # the command's own run: one co-grouped pass (check + compute), the cross-county id check, the writes
        run = spark_month.run(h_dir, p_dir, MONTH, out, params, cpi_path=cpi, seconds=phases)
        assert not run.problems, run.problems[:5]
        households, lines = run.households, run.lines
        spark.stop()
    wall = time.perf_counter() - start
    print(json.dumps({"engine": engine, "households": households, "lines": lines, "wall": wall, "phases": phases}))


class TreeWatch:
    """Polls a process tree (the child, Spark's JVM, its Python workers) every 0.2 s from /proc: the peak of
    the summed RSS, and CPU seconds as the last reading of each process ever seen (Linux only)."""

    def __init__(self, root: int) -> None:
        self.root, self.peak_rss, self.cpu = root, 0, {}
        self.page, self.tick = os.sysconf("SC_PAGE_SIZE"), os.sysconf("SC_CLK_TCK")
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(ppid, []).append(int(entry))
        out, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo += children.get(pid, [])
        return out

    def _run(self) -> None:
        while not self.done.wait(0.2):
            rss = 0
            for pid in self._tree():
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self.page
                except (OSError, IndexError, ValueError):
                    continue
                self.cpu[pid] = (int(fields[11]) + int(fields[12])) / self.tick
            self.peak_rss = max(self.peak_rss, rss)

    def stop(self) -> tuple[float, float]:
        self.done.set()
        self.thread.join()
        return self.peak_rss / 2**20, sum(self.cpu.values())


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
    data = RESULTS / f"province117-{options.households}"  # 117 county partitions (rules_region)
    if not (data / "households").exists():
        from jingzhun.synth.batch_frames import write_province

        t = time.perf_counter()
        r = write_province(data, options.households, 2020)
        print(f"wrote {r.households:,} households / {r.persons:,} persons in {time.perf_counter() - t:.1f} s")
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    figures = []
    for engine in options.engines.split(","):
        out = RESULTS / f"province-lines-{engine}"
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child", engine, "--data", str(data), "--out", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        watch = TreeWatch(proc.pid)
        stdout, stderr = proc.communicate()
        peak_mib, cpu = watch.stop()
        if proc.returncode:
            print(stderr[-3000:])
            raise SystemExit(proc.returncode)
        row = json.loads(stdout.strip().splitlines()[-1])
        row["peak_rss_mib"] = round(peak_mib)
        row["cpu_seconds"] = round(cpu, 1)
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
