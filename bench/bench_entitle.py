"""`jingzhun entitle` end to end: a 10 000-household JSON document through a real subprocess.

The document is the seeded synthetic county of bench_batch (converted with frames_to_document, with the
month's CPI so 价格临时补贴 is paid), written to a temporary file; the timed part is the whole command —
start-up, parsing, validation, computation with explanations and JSON output to a file. Before / after
side by side in one run, as bench_batch_cli (``--before REF``, default the merge base with ``main``):
wall and CPU seconds (medians of 3, runs alternating), peak RSS, and whether both printed the same
amounts. Writes bench/results/entitle.json. Target: ≤ 1.0 s wall (issue #13).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

from bench_batch import CPI, MONTH, synthetic_frames
from bench_batch_cli import Timings, before_source, print_side_by_side, run_timed

from jingzhun.policy.frames import frames_to_document

HOUSEHOLDS = 10_000
SEED = 2020
RUNS = 3  # the median is reported: the machine is shared, single runs vary


def amounts(path: Path) -> list[tuple[str, str, str | None, str]]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return [(h["id"], x["program"], x["member"], x["amount"]) for h in doc["households"] for x in h["lines"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", default=None, help="git ref to compare with (default: merge base with main)")
    parser.add_argument("--no-before", action="store_true", help="only the current tree")
    parser.add_argument("--households", type=int, default=HOUSEHOLDS)
    options = parser.parse_args()
    households, persons = synthetic_frames(options.households, SEED)
    doc = frames_to_document(households, persons) | {"cpi": CPI}
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "households.json"
        source.write_text(json.dumps(doc, ensure_ascii=False, default=dt.date.isoformat), encoding="utf-8")
        args = ["entitle", str(source), "--month", MONTH]
        before = None if options.no_before else before_source(options.before, Path(tmp))
        found = {"after": Timings(), **({"before": Timings()} if before else {})}
        outputs = {name: Path(tmp) / f"{name}.json" for name in found}
        for _ in range(RUNS):
            if before is not None:
                run_timed(args, before[1], found["before"], outputs["before"])
            run_timed(args, None, found["after"], outputs["after"])
        lines = amounts(outputs["after"])
        same = amounts(outputs["before"]) == lines if before else None
        size_mib = outputs["after"].stat().st_size / 2**20
    result = {
        "benchmark": "jingzhun entitle (JSON with explanations, subprocess, end to end)",
        "households": options.households,
        "persons": persons.height,
        "lines": len(lines),
        "output_mib": round(size_mib, 1),
        "month": MONTH,
        "after": found["after"].summary(),
        "before": {"commit": before[0], **found["before"].summary()} if before else None,
        "same_amounts_before_and_after": same,
        "load_average_1min": round(os.getloadavg()[0], 1),
        "targets": {"wall_seconds": 1.0},
    }
    out_path = Path(__file__).resolve().parent / "results" / "entitle.json"
    out_path.parent.mkdir(exist_ok=True)
    out_path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"jingzhun entitle: {options.households:,} households / {persons.height:,} persons → {len(lines):,} lines "
        f"({size_mib:.1f} MiB JSON with explanations); same amounts before and after: {same}",
        file=sys.stderr,
    )
    print_side_by_side(found, before[0] if before else None)
    print(f"  (load average {os.getloadavg()[0]:.1f})", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
