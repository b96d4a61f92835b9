"""Benchmark: warm render of the monitoring pages at 100 000 households, on SQLite and PostgreSQL (target < 500 ms).

    uv run python bench/bench_monitor_pages.py [--households 100000] [--repeat 3] [--no-postgres] [--no-sqlite]
                                               [--keep DIR] [--measure-only]

Untimed seeding, in a child process per database: the synthetic 离石区 (``synth.generate_county``, as
bench_monitor_run.py) imported through the registry importer; 返贫预警 run for 2020-06 (``run_assessment``: flags
and cases); the twelve department lists drawn (``synth.departments``, 1 row per household in all) and imported,
and 数据比对 run on its exact channel (疑点, as bench_crosscheck_db.py); personas: the county officer, the cadre
of the village with the most cases and the cadre of the village with the most 疑点. Then each page is requested
once (warm-up) and ``--repeat`` times through the test client; the median and maximum wall time and the median CPU
time of this process (on SQLite all the work; the machine is shared, wall times follow its load) are printed with
the load average. Pages: the 返贫预警 case list (county all, village all), the cadre's 我的待办, the 数据比对 疑点 list
(county, one village) and one 疑点, a village's 退出 page and the county's 三率一度 page.

``--keep DIR`` keeps the synthetic files, the SQLite file and the PostgreSQL database (``BENCH_PG_DB``, default
jingzhun_bench_monitor_pages) so that ``--measure-only`` times the pages again after a change (migrating first)
without seeding. Writes ``bench/results/monitor_pages.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
COUNTY = "141102"
MONTH = "2020-06"
YEAR = 2020
TARGET_MS = 500.0
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = os.environ.get("BENCH_PG_DB", "jingzhun_bench_monitor_pages")


def seed(synth_dir: Path, households: int) -> dict[str, Any]:
    """Registry, 返贫预警 run, department lists and 数据比对 (exact), personas — in this database."""
    from jingzhun.cli.djsetup import setup

    setup()
    import polars as pl
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from jingzhun.core.actions import Actor
    from jingzhun.core.models import Role, StaffProfile
    from jingzhun.monitoring.cases.assess import run_assessment
    from jingzhun.monitoring.crosscheck.importer import import_list
    from jingzhun.monitoring.crosscheck.run import run_crosscheck
    from jingzhun.monitoring.models.cases import Case
    from jingzhun.monitoring.models.crosscheck import Suspect
    from jingzhun.registry.importer import import_file
    from jingzhun.registry.models import Region
    from jingzhun.synth.departments import AS_OF, SOURCES, department_lists
    from jingzhun.synth.generate import generate_county
    from jingzhun.synth.writer import write_csv

    call_command("migrate", verbosity=0)
    system = Actor.system("bench")
    figures: dict[str, Any] = {}
    started = time.perf_counter()
    county = generate_county(COUNTY, households, 2018, synth_dir / "county")
    for path in (county.regions_path, county.households_path):
        report = import_file(path, actor=system)
        assert report.written and not report.errors, report.errors[:5]
    figures["registry_seconds"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    run_assessment(dt.date.fromisoformat(f"{MONTH}-01"), actor=system, region_prefix=COUNTY)
    figures["assessment_seconds"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    drawn = department_lists(
        pl.read_csv(county.households_path, infer_schema=False), {s: households // len(SOURCES) for s in SOURCES}, 2018
    )
    (synth_dir / "departments").mkdir(exist_ok=True)
    for source, table in drawn.lists.items():
        write_csv(table, synth_dir / "departments" / f"{source}.csv")
        report = import_list(synth_dir / "departments" / f"{source}.csv", source=source, as_of=AS_OF, actor=system)
        assert report.ok, report.error_lines()[:5]
    run_crosscheck(system, fuzzy_limit=0)
    figures["crosscheck_seconds"] = round(time.perf_counter() - started, 1)
    most_cases = (
        Case.objects.values("household__village_id").annotate(n=Count("id")).order_by("-n").first() or {}
    ).get("household__village_id")
    most_suspects = (Suspect.objects.values("village_code").annotate(n=Count("id")).order_by("-n").first() or {}).get(
        "village_code"
    )
    county_region = Region.objects.get(code=COUNTY)
    for name, role, region in (
        ("county", Role.COUNTY_OFFICER, county_region),
        ("village", Role.VILLAGE_CADRE, Region.objects.get(pk=most_cases)),
        ("xvillage", Role.VILLAGE_CADRE, Region.objects.get(code=most_suspects)),
    ):
        user = User.objects.create_user(name)
        StaffProfile.objects.create(user=user, role=role, region=region)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    figures["cases"] = Case.objects.count()
    figures["suspects"] = Suspect.objects.count()
    return figures


def measure(repeat: int) -> dict[str, Any]:
    from jingzhun.cli.djsetup import setup

    setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from jingzhun.monitoring.models.crosscheck import Suspect
    from jingzhun.registry.models import Household

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    clients = {}
    for user in User.objects.filter(username__in=("county", "village", "xvillage")).select_related("staff__region"):
        clients[user.username] = Client()
        clients[user.username].force_login(user)
    village = User.objects.get(username="village").staff.region.code
    xvillage = User.objects.get(username="xvillage").staff.region.code
    suspect = Suspect.objects.filter(village_code=xvillage).order_by("id").first()
    assert suspect is not None
    exit_village = (
        Household.objects.filter(village__code__startswith=COUNTY, registered_year__isnull=False)
        .values_list("village__code", flat=True)
        .order_by("village__code")
        .first()
    )
    scenarios: list[tuple[str, str, str, dict[str, str]]] = [
        ("返贫预警 cases: county, all", "county", "/monitoring/cases/", {"view": "all"}),
        ("返贫预警 cases: county, all, page 20", "county", "/monitoring/cases/", {"view": "all", "page": "20"}),
        ("返贫预警 cases: county, 我的待办", "county", "/monitoring/cases/", {}),
        ("返贫预警 cases: village, all", "village", "/monitoring/cases/", {"view": "all"}),
        ("返贫预警 cadre's 我的待办", "village", "/monitoring/cases/", {}),
        ("数据比对 疑点: county", "county", "/monitoring/crosscheck/", {}),
        ("数据比对 疑点: county, page 20", "county", "/monitoring/crosscheck/", {"page": "20"}),
        ("数据比对 疑点: county, one village", "county", "/monitoring/crosscheck/", {"village": xvillage}),
        ("数据比对 疑点: village cadre", "xvillage", "/monitoring/crosscheck/", {}),
        ("数据比对 one 疑点", "county", f"/monitoring/crosscheck/{suspect.pk}/", {}),
        ("退出: a village's list", "county", f"/monitoring/exit/villages/{exit_village}/{YEAR}/", {}),
        ("退出: county 三率一度", "county", f"/monitoring/exit/county/{COUNTY}/{YEAR}/", {}),
        ("退出: 村退出 index (county)", "county", "/monitoring/exit/", {"year": str(YEAR)}),
    ]
    out: dict[str, Any] = {
        "vendor": connection.vendor,
        "households": Household.objects.count(),
        "village": village,
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "scenarios": [],
    }
    print(f"{connection.vendor}: load average {out['load_average_before']}", file=sys.stderr)
    for label, persona, url, params in scenarios:
        out["scenarios"].append(_time(clients[persona], label, url, params, repeat))
    out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return out


def _time(client: Any, label: str, url: str, params: dict[str, str], repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url, params)
    assert response.status_code == 200, (label, response.status_code)
    times, cpu = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200
    median, worst, cpu_ms = statistics.median(times), max(times), statistics.median(cpu)
    slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]))
    print(
        f"  {label:<40} median {median:7.1f} ms  max {worst:7.1f} ms  cpu {cpu_ms:7.1f} ms"
        f"  {len(ctx.captured_queries):3d} queries"
        f"{'' if median < TARGET_MS else '  OVER TARGET'}  slowest {float(slowest['time']) * 1000:6.1f} ms: "
        f"{slowest['sql'][:110]}",
        file=sys.stderr,
    )
    return {
        "scenario": label,
        "url": url,
        "params": params,
        "median_ms": round(median, 1),
        "max_ms": round(worst, 1),
        "median_cpu_ms": round(cpu_ms, 1),  # this process only (SQLite: all the work; PostgreSQL: not the server's)
        "queries": len(ctx.captured_queries),
        "under_target": median < TARGET_MS,
    }


def _child(url: str, home: Path, *args: str) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": url, "JINGZHUN_HOME": str(home), "JINGZHUN_DEBUG": ""}
    proc = subprocess.run([sys.executable, __file__, *args], env=env, stdout=subprocess.PIPE, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child {args[-1]} failed for {url}")
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--keep", type=Path, default=None, help="keep the databases and files here")
    parser.add_argument("--measure-only", action="store_true", help="time the pages of a kept seeding")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        result = seed(Path(rest[0]), args.households) if kind == "seed" else measure(args.repeat)
        print(json.dumps(result, ensure_ascii=False))
        return
    if args.measure_only and args.keep is None:
        parser.error("--measure-only needs --keep DIR")
    home = args.keep or Path(tempfile.mkdtemp(prefix="jingzhun-bench-monitor-pages-"))
    home.mkdir(parents=True, exist_ok=True)
    targets = {} if args.no_sqlite else {"sqlite": f"sqlite:///{home / 'bench.sqlite3'}"}
    if not args.no_postgres:
        targets["postgresql"] = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql:", "postgres:") + "/" + PG_BENCH_DB
    results: dict[str, Any] = {
        "target_ms": TARGET_MS,
        "households": args.households,
        "repeat": args.repeat,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "measured_at": dt.datetime.now().isoformat(timespec="seconds"),
    }
    try:
        for name, url in targets.items():
            if not args.measure_only:
                if name == "postgresql":
                    _pg(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
                    _pg(f"CREATE DATABASE {PG_BENCH_DB}")
                else:
                    (home / "bench.sqlite3").unlink(missing_ok=True)
                print(f"{name}: seeding {args.households} households, cases and 疑点 …", file=sys.stderr)
                seeded = _child(url, home, "--households", str(args.households), "--child", "seed", str(home / name))
                print(f"{name}: seeded {seeded}", file=sys.stderr)
                results.setdefault("seeding", {})[name] = seeded
            results[name] = _child(url, home, "--repeat", str(args.repeat), "--child", "measure")
    finally:
        if args.keep is None and not args.no_postgres:
            _pg(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
    out = HERE / "results" / "monitor_pages.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
