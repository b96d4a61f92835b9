"""The batch front door end to end: `jingzhun entitle --households --persons --out` on 1 000 000 households.

A real subprocess reads the two Parquet files, checks them (``policy/schema.py``), computes with the CPI
side file and writes the lines: the wall time and the child's peak RSS are the issue's figures (targets
≤ 1.5 s wall, ≤ 1 GiB). The input check alone is timed in-process too (median of 3), to show its share.

Before / after, side by side in one run: the same command is also run on the source tree of an earlier
commit (``--before REF``, default: the merge base with ``main``), extracted with ``git archive`` and
put first on ``PYTHONPATH``; runs alternate between the two so that both see the same machine load. Wall
and CPU seconds are medians; the machine is shared, so CPU seconds are the steadier figure.
Writes bench/results/batch_cli.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench_batch import CPI, MONTH, synthetic_frames

from jingzhun.policy.engine import month_end, parse_month
from jingzhun.policy.schema import check_frames

HOUSEHOLDS = 1_000_000
SEED = 2020
RUNS = 3
REPO = Path(__file__).resolve().parent.parent


@dataclass
class Timings:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss_mib: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        return {
            "wall_seconds": round(statistics.median(self.wall), 3),
            "cpu_seconds": round(statistics.median(self.cpu), 3),
            "peak_rss_mib": round(max(self.rss_mib)),
            "runs_wall_seconds": [round(t, 3) for t in self.wall],
        }


def before_source(ref: str | None, into: Path) -> tuple[str, Path] | None:
    """``src`` of ``ref`` (default: merge base with main) extracted under ``into``; None without git."""
    try:
        if ref is None:
            ref = subprocess.run(
                ["git", "merge-base", "HEAD", "main"], cwd=REPO, capture_output=True, text=True, check=True
            ).stdout.strip()
        commit = subprocess.run(
            ["git", "rev-parse", "--short", ref], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        archive = subprocess.run(["git", "archive", commit, "src"], cwd=REPO, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    tar_path = into / "before.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(into, filter="data")
    return commit, into / "src"


# The command runs under a small launcher process: a child's peak RSS (ru_maxrss) starts from its
# parent's at fork/exec, and this benchmark holds a million households in memory — the launcher's own
# child starts from the launcher's few MiB, so its figure is the command's own.
LAUNCHER = """
import json, os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
wall = time.perf_counter() - start
with open(sys.argv[1], "w") as out:
    json.dump({"status": os.waitstatus_to_exitcode(status), "wall": wall,
               "cpu": usage.ru_utime + usage.ru_stime, "rss_mib": usage.ru_maxrss / 1024}, out)
"""


def run_timed(
    args: Sequence[str],
    src: Path | None,
    timings: Timings,
    stdout: Path | None = None,
    env_extra: dict[str, str | None] | None = None,
) -> None:
    """``jingzhun ARGS`` in a child (the current tree, or ``src`` first on PYTHONPATH): its wall time, its own
    CPU time and its own peak RSS. ``env_extra`` sets (or, with None, removes) environment variables."""
    env = dict(os.environ)
    for name, value in (env_extra or {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    if src is not None:
        env["PYTHONPATH"] = str(src) + os.pathsep + env.get("PYTHONPATH", "")
    code = "import sys; from jingzhun.cli import main; sys.argv[0] = 'jingzhun'; main()"
    with (
        open(stdout or os.devnull, "w", encoding="utf-8") as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile(suffix=".json") as report,
    ):
        command = [sys.executable, "-c", LAUNCHER, report.name, sys.executable, "-c", code, *args]
        subprocess.run(command, stdout=out, stderr=err, env=env, check=True)
        figures = json.loads(Path(report.name).read_text(encoding="utf-8"))
        if figures["status"] != 0:
            err.seek(0)
            raise SystemExit(f"jingzhun {' '.join(args)} failed ({figures['status']}):\n{err.read().decode()[-2000:]}")
    timings.wall.append(figures["wall"])
    timings.cpu.append(figures["cpu"])
    timings.rss_mib.append(figures["rss_mib"])


def side_by_side(args: Sequence[str], before: Path | None, runs: int, out: Path | None = None) -> dict[str, Timings]:
    """Alternate runs of ``before`` and the current tree (the latter's stdout to ``out``)."""
    found: dict[str, Timings] = {"after": Timings()}
    if before is not None:
        found["before"] = Timings()
    for _ in range(runs):
        if before is not None:
            run_timed(args, before, found["before"])
        run_timed(args, None, found["after"], out)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", default=None, help="git ref to compare with (default: merge base with main)")
    parser.add_argument("--no-before", action="store_true", help="only the current tree")
    parser.add_argument("--households", type=int, default=HOUSEHOLDS)
    options = parser.parse_args()
    households, persons = synthetic_frames(options.households, SEED)
    checks = []
    for _ in range(RUNS):
        start = time.perf_counter()
        problems = check_frames(households, persons, month_end(parse_month(MONTH)))
        checks.append(time.perf_counter() - start)
    assert problems == [], problems[:5]
    with tempfile.TemporaryDirectory() as tmp:
        h, p, out, cpi = (Path(tmp) / name for name in ("h.parquet", "p.parquet", "lines.parquet", "cpi.json"))
        households.write_parquet(h)
        persons.write_parquet(p)
        cpi.write_text(json.dumps(CPI), encoding="utf-8")
        args = ["entitle", "--households", str(h), "--persons", str(p), "--month", MONTH, "--out", str(out)]
        before = None if options.no_before else before_source(options.before, Path(tmp))
        found = side_by_side([*args, "--cpi", str(cpi)], before[1] if before else None, RUNS)
    check = statistics.median(checks)
    result = {
        "benchmark": "entitle --households/--persons (subprocess, parquet in and out, checked input, CPI)",
        "households": households.height,
        "persons": persons.height,
        "month": MONTH,
        "after": found["after"].summary(),
        "before": {"commit": before[0], **found["before"].summary()} if before else None,
        "check_seconds_in_process": round(check, 3),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "targets": {"wall_seconds": 1.5, "peak_rss_mib": 1024},
    }
    path = Path(__file__).resolve().parent / "results" / "batch_cli.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"entitle batch: {households.height:,} households / {persons.height:,} persons", file=sys.stderr)
    print_side_by_side(found, before[0] if before else None)
    print(f"  (input check in process: {check:.2f} s; load average {os.getloadavg()[0]:.1f})", file=sys.stderr)
    print(json.dumps(result))


def print_side_by_side(found: dict[str, Timings], commit: str | None) -> None:
    rows = [("", "wall s", "CPU s", "peak RSS MiB")]
    for name in ("before", "after"):
        if name in found:
            s = found[name].summary()
            label = f"before ({commit})" if name == "before" else "after (this tree)"
            rows.append((label, f"{s['wall_seconds']:.2f}", f"{s['cpu_seconds']:.2f}", f"{s['peak_rss_mib']:,}"))
    for row in rows:
        print(f"  {row[0]:<22} {row[1]:>8} {row[2]:>8} {row[3]:>14}", file=sys.stderr)


if __name__ == "__main__":
    main()
