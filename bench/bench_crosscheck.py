"""Benchmark: 数据比对 of 100 000 registry persons × 100 000 list rows (issue #14).

    uv run python bench/bench_crosscheck.py [--persons 100000] [--rows 100000] [--seed 2018] [--threshold 0.9]

Builds a synthetic 离石区 with about ``--persons`` persons (``generate_county``), draws the twelve
department lists from it with their truth (:mod:`jingzhun.synth.departments`, ``--rows`` in all, about a
fifth without a usable ID), then times

* exact matching alone — ID normalisation, name keys and the Polars join (``link(..., fuzzy_matching=False)``;
  target < 5 s);
* the whole linkage — exact plus splink on the rows without a usable ID (target for the fuzzy part
  < 120 s: training + prediction + choosing);

and prints the blocking rules with their comparison counts, the trained m/u per level, the confusion
counts per channel and the fuzzy channel's at other thresholds (targets: exact precision = recall = 1.0;
fuzzy precision ≥ 0.95, recall ≥ 0.90),
the errors by row kind and noise, peak RSS, and writes bench/results/crosscheck.json. Exits non-zero
when a target is missed.
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

import polars as pl

from jingzhun.crosscheck import link
from jingzhun.crosscheck.frames import rows_from_list
from jingzhun.crosscheck.quality import confusion, outcomes, sweep
from jingzhun.synth.departments import SOURCES, department_lists, registry_persons
from jingzhun.synth.generate import generate_county

HERE = Path(__file__).resolve().parent
PERSONS_PER_HOUSEHOLD = 2.9  # the synthetic 离石区's mean household size
THRESHOLDS = [0.5, 0.8, 0.9, 0.95, 0.99, 0.999]
TARGETS = {"exact_seconds": 5.0, "fuzzy_seconds": 120.0, "fuzzy_precision": 0.95, "fuzzy_recall": 0.90}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--threshold", type=float, default=0.9)
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="jingzhun-crosscheck-") as tmp:
        county = generate_county("141102", round(args.persons / PERSONS_PER_HOUSEHOLD), args.seed, Path(tmp))
        households = pl.read_csv(county.households_path, infer_schema_length=0)
    base, extra = divmod(args.rows, len(SOURCES))
    per_list = {s: base + (1 if i < extra else 0) for i, s in enumerate(SOURCES)}
    t0 = time.perf_counter()
    drawn = department_lists(households, per_list, args.seed)
    synth_seconds = time.perf_counter() - t0
    persons = registry_persons(households)
    rows = pl.concat([rows_from_list(table, source) for source, table in drawn.lists.items()])
    data_peak = _peak_mb()
    print(
        f"registry {persons.height:,} persons; lists {rows.height:,} rows drawn in {synth_seconds:.1f} s; "
        f"peak RSS so far (building the data) {data_peak:,.0f} MB"
    )

    t0 = time.perf_counter()
    exact_only = link(persons, rows, fuzzy_matching=False)
    exact_seconds = time.perf_counter() - t0
    print(
        f"exact: {exact_only.stats['exact_hits']:,} hits in {exact_seconds:.2f} s "
        f"(prepare {exact_only.stats['seconds']['prepare']:.2f} s, join {exact_only.stats['seconds']['exact']:.2f} s)"
    )

    t0 = time.perf_counter()
    linked = link(persons, rows, threshold=args.threshold, seed=args.seed)
    total_seconds = time.perf_counter() - t0
    s = linked.stats
    fuzzy_seconds = s["seconds"].get("training", 0) + s["seconds"].get("prediction", 0) + s["seconds"].get("choose", 0)
    print(
        f"fuzzy: {s['rows_without_usable_id']:,} rows without a usable ID → {s['fuzzy_hits']:,} hits, "
        f"{s['ties']} ties flagged, in {fuzzy_seconds:.1f} s (training {s['seconds']['training']:.1f} s, "
        f"prediction {s['seconds']['prediction']:.1f} s); whole linkage {total_seconds:.1f} s"
    )
    print("blocking rules (each AND the row's stated village, when it states one) → comparisons:")
    for rule, count in s["comparisons_by_rule"].items():
        print(f"  {count:>9,}  {rule}")
    print(f"prior (two random records match): {s['prior']:.3g}; m / u per level:")
    for comparison, levels in s["parameters"].items():
        text = ", ".join(f"{k} {m or 0:.3f}/{u or 0:.2g}" for k, (m, u) in levels.items())
        print(f"  {comparison}: {text}")

    quality = confusion(linked, rows, drawn.truth)
    for channel, q in quality.items():
        print(
            f"{channel:>5}: rows {q['rows']:,}  tp {q['tp']:,}  fp {q['fp']:,}  fn {q['fn']:,}  tn {q['tn']:,}  "
            f"precision {q['precision']:.4f}  recall {q['recall']:.4f}"
        )
    print("fuzzy channel by threshold (the same scored pairs chosen again):")
    by_threshold = sweep(linked, rows, drawn.truth, THRESHOLDS)
    for q in by_threshold:
        print(
            f"  ≥ {q['threshold']:<5}  tp {q['tp']:,}  fp {q['fp']:,}  fn {q['fn']:,}  tn {q['tn']:,}  "
            f"precision {q['precision']:.4f}  recall {q['recall']:.4f}"
        )
    errors = (
        outcomes(linked, rows, drawn.truth)
        .filter(~pl.col("outcome").is_in(["tp", "tn"]))
        .group_by("channel", "kind", "noise", "outcome")
        .len()
        .sort("len", descending=True)
    )
    print("errors by kind and noise:")
    for channel, kind, noise, outcome, n in errors.iter_rows():
        print(f"  {n:>6,}  {channel} {kind} {noise or '-'} → {outcome}")
    peak = _peak_mb()
    print(
        f"peak RSS {peak:,.0f} MB ({'the linkage' if peak > data_peak else 'building the data'} set it); "
        f"load {load_before:.1f} → {os.getloadavg()[0]:.1f}"
    )

    results = {
        "persons": persons.height,
        "rows": rows.height,
        "rows_without_usable_id": s["rows_without_usable_id"],
        "exact_seconds": round(exact_seconds, 2),
        "fuzzy_seconds": round(fuzzy_seconds, 1),
        "total_seconds": round(total_seconds, 1),
        "stage_seconds": {k: round(v, 2) for k, v in s["seconds"].items()},
        "comparisons_by_rule": s["comparisons_by_rule"],
        "ties": s["ties"],
        "quality": quality,
        "threshold": args.threshold,
        "peak_rss_mb": round(peak),
        "peak_rss_mb_before_linkage": round(data_peak),
        "fuzzy_by_threshold": by_threshold,
        "targets": TARGETS,
        "load_average_1min": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "seed": args.seed,
    }
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "crosscheck.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    missed = []
    if exact_seconds > TARGETS["exact_seconds"]:
        missed.append(f"exact {exact_seconds:.1f} s > {TARGETS['exact_seconds']} s")
    if fuzzy_seconds > TARGETS["fuzzy_seconds"]:
        missed.append(f"fuzzy {fuzzy_seconds:.0f} s > {TARGETS['fuzzy_seconds']} s")
    if quality["exact"]["precision"] < 1.0 or quality["exact"]["recall"] < 1.0:
        missed.append("exact precision/recall below 1.0")
    if quality["fuzzy"]["precision"] < TARGETS["fuzzy_precision"]:
        missed.append(f"fuzzy precision {quality['fuzzy']['precision']:.3f}")
    if quality["fuzzy"]["recall"] < TARGETS["fuzzy_recall"]:
        missed.append(f"fuzzy recall {quality['fuzzy']['recall']:.3f}")
    if missed:
        raise SystemExit("targets missed: " + "; ".join(missed))


if __name__ == "__main__":
    main()
