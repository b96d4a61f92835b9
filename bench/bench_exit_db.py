"""Benchmark: the exit check over the database for a county's registered households (target < 10 s).

    uv run python bench/bench_exit_db.py [--households 103448] [--year 2020]

Generates the synthetic 离石区 (``jingzhun synth``; 103 448 households is the real county's size),
imports it through the registry importer into a fresh SQLite database under a temporary directory, then
times :func:`jingzhun.monitoring.exit.check.check_households` — building the POLICY.md §8 exit document
from the registry (three bounded queries per 5 000 households) and running ``policy.exit_check`` — over
the registered households, over every household, and over the registered households again once the
county's 低保/特困 roll is enrolled for June of the year (the check counts an enrolled household's income at
least at the 低保 standard: 兜底). Prints the figures (and the load average: the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=103_448)
    parser.add_argument("--year", type=int, default=2020)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ["JINGZHUN_HOME"] = tmp
        from jingzhun.cli.djsetup import setup

        setup()
        from django.core.management import call_command

        from jingzhun.core.actions import Actor
        from jingzhun.monitoring.exit.check import check_households
        from jingzhun.registry.importer import import_file
        from jingzhun.registry.models import Household
        from jingzhun.synth.generate import generate_county

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        synth = generate_county("141102", args.households, 2020, Path(tmp) / "synth")
        actor = Actor.system("bench")
        for path in (synth.regions_path, synth.households_path):
            report = import_file(path, actor=actor)
            assert report.written, report.errors[:5]
        print(f"setup (synth + import of {args.households} households): {time.perf_counter() - started:.1f} s")
        registered = Household.objects.filter(registered_year__isnull=False, active=True)
        for label, queryset in (
            ("registered households", registered),
            ("all households", Household.objects.filter(active=True)),
            ("registered households, 低保/特困 roll enrolled (兜底)", registered),
        ):
            if "roll" in label:  # the county's roll as the demo enrols it: 兜底 lifts their income
                from jingzhun.assistance.roll import approve_eligible

                started = time.perf_counter()
                enrolled = approve_eligible(actor, f"{args.year}-06", "141102")
                print(f"enrolment of the roll ({args.year}-06): {enrolled} in {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            results = check_households(queryset, args.year)
            seconds = time.perf_counter() - started
            failed = Counter(code for r in results.values() for code in r.failed)
            passing = sum(1 for r in results.values() if r.exit_ok)
            print(
                f"exit check {args.year}, {label}: {len(results)} in {seconds:.2f} s "
                f"({len(results) / seconds:,.0f}/s); pass {passing}; failed by criterion {dict(failed)}"
            )
        print(f"load average: {os.getloadavg()}", file=sys.stderr)


if __name__ == "__main__":
    main()
