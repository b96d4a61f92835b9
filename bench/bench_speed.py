"""Issue #13's three speed figures in one run, before and after side by side: wall, CPU and peak RSS.

    uv run python bench/bench_speed.py [--before REF] [--no-before] [--skip-batch]

1. start-up: ``jingzhun entitle`` on a one-household document (target well under 0.5 s);
2. ``jingzhun entitle`` on the seeded 10 000-household document with explanations, JSON to a file
   (target ≤ 1.0 s wall);
3. ``jingzhun entitle --households --persons --cpi --out`` on 1 000 000 households / ≈ 3 M persons,
   Parquet in and out (targets ≤ 1.5 s wall, peak RSS ≤ 1 GiB).

Each command runs in a fresh process (``bench_batch_cli.run_timed``: the child's own CPU time and peak RSS),
the earlier commit (``--before``, default the merge base with ``main``) and this tree alternating, medians
of 3. Python's compiled bytecode: an installed application has it (pip compiles at install; ``uv sync``
with ``UV_COMPILE_BYTECODE=1``), but a checkout run with ``PYTHONDONTWRITEBYTECODE=1`` compiles every
module on every start (≈ 0.5–1 s of CPU for Polars, NumPy and Typer). The figures are taken with bytecode
(a private ``PYTHONPYCACHEPREFIX``, warmed once); the start-up is also shown without it. Also checks that
before and after print the same bytes (documents) and the same lines (batch). The wall targets are for a
quiet 2-core machine: the load average is printed with the figures. Writes bench/results/speed.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

import polars as pl
from bench_batch import CPI, MONTH, synthetic_frames
from bench_batch_cli import Timings, before_source, run_timed

from jingzhun.policy.frames import frames_to_document

SEED = 2020
RUNS = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", default=None, help="git ref to compare with (default: merge base with main)")
    parser.add_argument("--no-before", action="store_true", help="only the current tree")
    parser.add_argument("--skip-batch", action="store_true", help="leave out the 1 000 000-household batch")
    parser.add_argument("--households", type=int, default=10_000, help="households in the document")
    parser.add_argument("--batch-households", type=int, default=1_000_000)
    options = parser.parse_args()
    rows: list[tuple[str, dict[str, Timings], object]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        before = None if options.no_before else before_source(options.before, tmp)
        src = before[1] if before else None
        cached = {"PYTHONDONTWRITEBYTECODE": None, "PYTHONPYCACHEPREFIX": str(tmp / "pycache")}
        bare = {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": None}

        households, persons = synthetic_frames(options.households, SEED)
        doc = frames_to_document(households, persons) | {"cpi": CPI}
        one = {"households": doc["households"][:1], "cpi": CPI}
        paths = {}
        for name, content in (("one", one), ("doc", doc)):
            paths[name] = tmp / f"{name}.json"
            text = json.dumps(content, ensure_ascii=False, default=dt.date.isoformat)
            paths[name].write_text(text, encoding="utf-8")
        versions = [("before", src), ("after", None)] if before else [("after", None)]
        for _, source in versions:  # warm the bytecode cache (not timed)
            run_timed(["entitle", str(paths["one"]), "--month", MONTH], source, Timings(), None, cached)

        def side_by_side(args: list[str], env: dict[str, str | None], out: str | None) -> dict[str, Timings]:
            found = {name: Timings() for name, _ in versions}
            for _ in range(RUNS):
                for name, source in versions:
                    target = tmp / f"{out}.{name}" if out else None
                    run_timed(args, source, found[name], target, env)
            return found

        one_args = ["entitle", str(paths["one"]), "--month", MONTH]
        rows.append(("start-up, 1 household", side_by_side(one_args, cached, "one"), None))
        rows.append(("start-up, no bytecode", side_by_side(one_args, bare, None), None))
        doc_args = ["entitle", str(paths["doc"]), "--month", MONTH]
        found = side_by_side(doc_args, cached, "doc")
        same = (tmp / "doc.before").read_bytes() == (tmp / "doc.after").read_bytes() if before else None
        rows.append((f"{options.households:,} households, JSON", found, same))
        del doc, one, households, persons
        if not options.skip_batch:
            households, persons = synthetic_frames(options.batch_households, SEED)
            h, p, cpi = tmp / "h.parquet", tmp / "p.parquet", tmp / "cpi.json"
            households.write_parquet(h)
            persons.write_parquet(p)
            cpi.write_text(json.dumps(CPI), encoding="utf-8")
            del households, persons
            found = {name: Timings() for name, _ in versions}
            for _ in range(RUNS):
                for name, source in versions:
                    args = ["entitle", "--households", str(h), "--persons", str(p), "--month", MONTH]
                    args += ["--cpi", str(cpi), "--out", str(tmp / f"lines.{name}.parquet")]
                    run_timed(args, source, found[name], None, cached)
            same = None
            if before:
                same = pl.read_parquet(tmp / "lines.before.parquet").equals(
                    pl.read_parquet(tmp / "lines.after.parquet")
                )
            rows.append((f"batch {options.batch_households:,} households", found, same))
    load = os.getloadavg()
    print(f"{'':<28} {'':<8} {'wall s':>8} {'CPU s':>8} {'peak RSS MiB':>13}  same output", file=sys.stderr)
    result: dict[str, object] = {}
    for label, found, same in rows:
        result[label] = {name: timings.summary() for name, timings in found.items()} | {"same_output": same}
        for name, timings in found.items():
            s = timings.summary()
            shown = "" if same is None or name == "before" else ("yes" if same else "NO")
            figures = f"{s['wall_seconds']:>8.2f} {s['cpu_seconds']:>8.2f} {s['peak_rss_mib']:>13,}"
            print(f"{label:<28} {name:<8} {figures}  {shown}", file=sys.stderr)
    print(
        f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (2 cores; targets for a quiet machine)",
        file=sys.stderr,
    )
    result |= {
        "before_commit": before[0] if before else None,
        "load_average": [round(x, 1) for x in load],
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "targets": {
            "start_up_wall_seconds": 0.5,
            "document_wall_seconds": 1.0,
            "batch_wall_seconds": 1.5,
            "batch_peak_rss_mib": 1024,
        },
    }
    out_path = Path(__file__).resolve().parent / "results" / "speed.json"
    out_path.parent.mkdir(exist_ok=True)
    out_path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
