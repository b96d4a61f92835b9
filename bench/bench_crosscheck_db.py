"""Benchmark: 数据比对 through the database — import the department lists and run (issue #14).

    uv run python bench/bench_crosscheck_db.py [--persons 100000] [--rows 100000] [--seed 2018] [--keep DIR]

Migrates a fresh SQLite database in a temporary directory (``DATABASE_URL=sqlite:///…``), imports a synthetic
离石区 of about ``--persons`` persons through the registry importer (not timed), draws the twelve department
lists (``--rows`` in all) with their truth, then times

* the import of every list through ``jingzhun crosscheck import``'s importer (read, 第N行 checks, one
  transaction each);
* ``run_crosscheck`` with the fuzzy part off (``fuzzy_limit=0``: the exact channel, stored as 疑点; target for
  the matching < 5 s);
* ``run_crosscheck`` again with everything (the fuzzy channel on the rows without a usable ID; the exact 疑点
  are kept, not duplicated; target < 120 s);

and prints the confusion counts per channel from the stored 疑点 against the truth (targets: exact precision
= recall = 1.0; fuzzy precision ≥ 0.95, recall ≥ 0.90), and peak RSS. The pure path — the engine alone
(:func:`jingzhun.crosscheck.link`) on the same persons and rows, already in memory — is timed beside it, with its
own confusion counts, so the cost of the database part (reading, writing 疑点) shows. Wall and CPU seconds are
printed with the load average (the machine is shared). Figures are printed, not asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

PERSONS_PER_HOUSEHOLD = 2.9


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _confusion(truth: Any, found: Any) -> dict[str, dict[str, Any]]:
    import polars as pl

    joined = truth.join(found, on=["source", "row"], how="left")
    out: dict[str, dict[str, Any]] = {}
    for channel, kinds in (("exact", ["exact", "exact_15"]), ("fuzzy", ["noisy", "invalid_id"])):
        predicted = joined.filter(pl.col("match") == channel)
        tp = predicted.filter(pl.col("household_no") == pl.col("found_household")).height
        fp = predicted.height - tp
        positives = joined.filter(pl.col("kind").is_in(kinds)).height
        fn = positives - tp
        out[channel] = {
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": round(tp / predicted.height, 4) if predicted.height else None,
            "recall": round(tp / positives, 4) if positives else None,
        }
    for kind in ("namesake_township", "namesake_neighbour", "nonmatch", "nonmatch_no_id"):
        rows = joined.filter(pl.col("kind") == kind)
        out[f"{kind}_matched"] = {"of": rows.height, "matched": rows["found_household"].is_not_null().sum()}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--keep", type=Path, default=None, help="keep the database and files in this directory")
    args = parser.parse_args()

    tmp = args.keep or Path(tempfile.mkdtemp(prefix="jingzhun-xcheck-db-"))
    tmp.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("JINGZHUN_HOME", str(tmp))
    from jingzhun.cli.djsetup import setup

    setup()
    import polars as pl
    from django.core.management import call_command

    from jingzhun.core.actions import Actor
    from jingzhun.monitoring.crosscheck.importer import import_list
    from jingzhun.monitoring.crosscheck.run import run_crosscheck
    from jingzhun.monitoring.models.crosscheck import Suspect
    from jingzhun.registry.importer import import_file
    from jingzhun.synth.departments import AS_OF, SOURCES
    from jingzhun.synth.generate import generate_county

    figures: dict[str, Any] = {"load_before": os.getloadavg()}
    call_command("migrate", verbosity=0)
    system = Actor.system("bench")
    started = time.perf_counter()
    county = generate_county("141102", round(args.persons / PERSONS_PER_HOUSEHOLD), args.seed, tmp / "county")
    for path in (county.regions_path, county.households_path):
        report = import_file(path, actor=system)
        assert report.ok, report.error_lines()[:5]
    figures["registry_persons"] = county.persons
    figures["registry_seconds_untimed_setup"] = round(time.perf_counter() - started, 1)
    per_list = {s: args.rows // len(SOURCES) for s in SOURCES}
    from jingzhun.synth.departments import department_lists

    drawn = department_lists(pl.read_csv(county.households_path, infer_schema=False), per_list, args.seed)
    out = tmp / "departments"
    out.mkdir(exist_ok=True)
    from jingzhun.synth.writer import write_csv

    for source, table in drawn.lists.items():
        write_csv(table, out / f"{source}.csv")

    started = time.perf_counter()
    for source in drawn.lists:
        report = import_list(out / f"{source}.csv", source=source, as_of=AS_OF, actor=system)
        assert report.ok, report.error_lines()[:5]
    figures["list_rows"] = sum(t.height for t in drawn.lists.values())
    figures["import_seconds"] = round(time.perf_counter() - started, 2)

    from jingzhun.crosscheck import link
    from jingzhun.monitoring.crosscheck.run import latest_lists, persons_frame, rows_frame

    persons, rows = persons_frame(""), rows_frame(latest_lists())
    columns = rows.select("source", "row", "name", "id_number", "birth_date", "village")
    names = {str(d.pk): d.source for d in latest_lists()}
    for label, fuzzy_on in (("pure_exact", False), ("pure_full", True)):
        started, cpu = time.perf_counter(), time.process_time()
        linked = link(persons, columns, fuzzy_matching=fuzzy_on)
        figures[f"{label}_seconds"] = round(time.perf_counter() - started, 2)
        figures[f"{label}_cpu_seconds"] = round(time.process_time() - cpu, 2)
    pure = linked.hits.join(rows.select("row", "file_row"), on="row").select(
        pl.col("source").replace_strict(names),
        pl.col("file_row").alias("row"),
        pl.col("household_no").alias("found_household"),
        "match",
    )
    figures["pure_ties_and_shared_ids"] = linked.flagged.height
    truth = drawn.truth.select("source", "row", "kind", "household_no")
    figures["pure_confusion"] = _confusion(truth, pure)

    started, cpu = time.perf_counter(), time.process_time()
    exact = run_crosscheck(system, fuzzy_limit=0)
    figures["run_exact_seconds"] = round(time.perf_counter() - started, 2)
    figures["run_exact_cpu_seconds"] = round(time.process_time() - cpu, 2)
    figures["exact_hits"] = len(exact.hits)

    started, cpu = time.perf_counter(), time.process_time()
    full = run_crosscheck(system)
    figures["run_full_seconds"] = round(time.perf_counter() - started, 2)
    figures["run_full_cpu_seconds"] = round(time.process_time() - cpu, 2)
    figures["new_suspects_second_run"] = full.new
    figures["kept_suspects_second_run"] = full.kept
    figures["flagged_second_run"] = full.flagged
    from jingzhun.monitoring.models.crosscheck import RollCheck

    # each run also recomputes the 低保名册 comparison (the roll is one of the lists): its share of the run
    figures["roll_comparison_seconds_in_each_run"] = [float(c.seconds) for c in RollCheck.objects.order_by("id")]

    stored = pl.DataFrame(
        list(Suspect.objects.values_list("source", "row__row", "household__household_no", "match")),
        schema={"source": pl.String, "row": pl.Int64, "found_household": pl.String, "match": pl.String},
        orient="row",
    )
    figures["confusion"] = _confusion(truth, stored)
    figures["peak_rss_mb"] = round(_peak_mb(), 1)
    figures["load_after"] = os.getloadavg()
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
