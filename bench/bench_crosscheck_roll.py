"""Benchmark: 低保名册 ↔ 建档立卡 at county scale (issue #14).

    uv run python bench/bench_crosscheck_roll.py [--households 100000] [--roll-rows 10000] [--seed 2018]

Migrates a fresh SQLite database in a temporary directory, imports a synthetic 离石区 of ``--households``
households through the registry importer (not timed), imports a synthetic 低保名册 of ``--roll-rows`` rows, then
times

* ``compute_roll`` — the comparison itself (rules engine over every household for the roll's month, the
  three lists): what the page used to do on **every load**;
* ``crosscheck run --source dibao_roll`` — matching the roll and storing 疑点 plus computing and storing the
  comparison (what now happens once per run, in the background job);
* the page ``/monitoring/crosscheck/roll/`` for a county officer through Django's test client (three times;
  it reads the stored comparison only),

and prints the figures with the finding counts, the load average and peak RSS. Printed, not asserted.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--roll-rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--keep", type=Path, default=None, help="keep the database and files in this directory")
    args = parser.parse_args()

    tmp = args.keep or Path(tempfile.mkdtemp(prefix="jingzhun-xcheck-roll-"))
    tmp.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("JINGZHUN_HOME", str(tmp))
    from jingzhun.cli.djsetup import setup

    setup()
    import polars as pl
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from jingzhun.core.actions import Actor
    from jingzhun.core.models import Role, StaffProfile
    from jingzhun.monitoring.crosscheck.importer import import_list
    from jingzhun.monitoring.crosscheck.roll import compute_roll
    from jingzhun.monitoring.crosscheck.run import run_crosscheck
    from jingzhun.monitoring.models.crosscheck import DeptList, RollCheck
    from jingzhun.registry.importer import import_file
    from jingzhun.registry.models import Region
    from jingzhun.synth.departments import AS_OF, department_lists
    from jingzhun.synth.generate import generate_county
    from jingzhun.synth.writer import write_csv

    figures: dict[str, Any] = {"load_before": os.getloadavg()}
    call_command("migrate", verbosity=0)
    system = Actor.system("bench")
    started = time.perf_counter()
    county = generate_county("141102", args.households, args.seed, tmp / "county")
    for path in (county.regions_path, county.households_path):
        report = import_file(path, actor=system)
        assert report.ok, report.error_lines()[:5]
    figures["households"], figures["persons"] = args.households, county.persons
    figures["registry_setup_seconds_untimed"] = round(time.perf_counter() - started, 1)
    drawn = department_lists(
        pl.read_csv(county.households_path, infer_schema=False), {"dibao_roll": args.roll_rows}, args.seed
    )
    path = tmp / "dibao_roll.csv"
    write_csv(drawn.lists["dibao_roll"], path)
    assert import_list(path, source="dibao_roll", as_of=AS_OF, actor=system).ok
    roll = DeptList.objects.get(source="dibao_roll")

    started, cpu = time.perf_counter(), time.process_time()
    run = run_crosscheck(system, ["dibao_roll"])
    figures["run_seconds"] = round(time.perf_counter() - started, 2)
    figures["run_cpu_seconds"] = round(time.process_time() - cpu, 2)
    check = RollCheck.objects.get()
    figures["roll_hits"] = len(run.hits)
    figures["roll_part_of_run_seconds"] = float(check.seconds)

    started, cpu = time.perf_counter(), time.process_time()
    computed = compute_roll(roll, "")
    figures["compute_roll_seconds_was_every_page_load"] = round(time.perf_counter() - started, 2)
    figures["compute_roll_cpu_seconds"] = round(time.process_time() - cpu, 2)
    kinds = [f["kind"] for f in computed.findings]
    figures["findings"] = {k: kinds.count(k) for k in ("unprotected", "missed", "mismatch")}

    setup_test_environment()
    user = User.objects.create_user("bench-county")
    StaffProfile.objects.create(user=user, role=Role.COUNTY_OFFICER, region=Region.objects.get(code="141102"))
    client = Client()
    client.force_login(user)
    pages = []
    for _ in range(3):
        started = time.perf_counter()
        response = client.get("/monitoring/crosscheck/roll/")
        pages.append(round(time.perf_counter() - started, 3))
        assert response.status_code == 200 and "应保未保" in response.content.decode()
    figures["page_seconds"] = pages
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    figures["load_after"] = os.getloadavg()
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
