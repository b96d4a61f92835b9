"""Benchmark: 一张图 pages at 100 000 households (target < 300 ms server time per page).

    uv run python bench/bench_dashboard.py [--households 100000] [--no-postgres] [--repeat 5]

Builds the county of ``bench_household_list.seed`` (same regions, households, persons, 低保 enrollments),
then adds what the dashboards read: 12 months of ledger lines for every enrolled household (低保补差 and,
for a tenth, 高龄补贴), a 帮扶记录 per registered household every few months, and 3 projects per village
with their funds. SQLite in a temporary file and PostgreSQL in a database of its own
(``BENCH_PG_DB``, default ``jingzhun_bench_dashboard``: created and dropped here; skip with ``--no-postgres``), each
measured in a child process. Pages go through Django's test client signed in (everything but the socket);
each runs once to warm up, then ``--repeat`` times: median, max and the Django process's CPU time.
Writes ``bench/results/dashboard.json``.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from typing import Any

import _driver  # one main for the page benchmarks
import bench_household_list as base  # the same county and timing

TARGET_MS = 300.0
MONTHS = [dt.date(2019 + (6 + m) // 12, (6 + m) % 12 + 1, 1) for m in range(12)]  # 2019-07 … 2020-06


def add_activity() -> dict[str, int]:
    """Ledger lines, 帮扶记录 and projects on top of the household-list bench's county."""
    from django.db import connection

    from jingzhun.assistance.models import Enrollment
    from jingzhun.helping.models import HelpRecord
    from jingzhun.ledger.models import PaymentLine
    from jingzhun.projects.models import FundAllocation, Project
    from jingzhun.registry.models import Household, Region

    enrolled = list(Enrollment.objects.values_list("household_id", flat=True))
    lines = []
    for month in MONTHS:
        for n, pk in enumerate(enrolled):
            lines.append(
                PaymentLine(
                    household_id=pk,
                    program="dibao",
                    month=month,
                    amount_fen=30_000 + n % 20_000,
                    kind="payment",
                    actor_label="bench",
                )
            )
            if n % 10 == 0:
                lines.append(
                    PaymentLine(
                        household_id=pk,
                        program="elderly_allowance",
                        month=month,
                        amount_fen=5_000,
                        kind="payment",
                        actor_label="bench",
                    )
                )
    PaymentLine.objects.bulk_create(lines, batch_size=5000)
    registered = list(Household.objects.filter(registered_year__isnull=False).values_list("pk", flat=True))
    start = dt.date(2019, 7, 1)
    records = [
        HelpRecord(
            household_id=pk,
            date=start + dt.timedelta(days=(pk * 37 + k * 91) % 366),
            kind="visit",
            content="走访",
            cadre_label="bench",
        )
        for k in range(3)
        for pk in registered
    ]
    HelpRecord.objects.bulk_create(records, batch_size=5000)
    villages = list(Region.objects.filter(level="village", code__startswith="141102"))
    kinds = ("industry", "pv", "infrastructure")
    names = ("食用菌种植基地", "光伏扶贫电站", "村道硬化")
    projects = Project.objects.bulk_create(
        Project(
            code=f"B{v.code}{k}",
            name=f"{v.name}{names[k]}",
            kind=kinds[k],
            region=v,
            year=2019 + k % 2,
            beneficiary_households=30 + k,
            budget_fen=50_000_000,
            poor_households=10,
        )
        for v in villages
        for k in range(3)
    )
    FundAllocation.objects.bulk_create(
        FundAllocation(project=p, source=("central", "province", "integrated")[i % 3], amount_fen=10_000_000 + i)
        for i, p in enumerate(projects)
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"lines": len(lines), "help_records": len(records), "projects": len(projects)}


def measure(households: int, repeat: int) -> dict[str, Any]:
    _driver.django_ready()
    from django.db import connection

    started = time.perf_counter()
    data = base.seed(households)
    extra = add_activity()
    seed_seconds = time.perf_counter() - started
    from jingzhun.dashboard.counts import refresh

    started = time.perf_counter()
    refresh()  # what the background job does after an import or a month run: pages never run it
    refresh_seconds = time.perf_counter() - started
    scenarios = [
        ("county dashboard (townships)", "county", "/dashboard/", {}),
        ("county dashboard, month given", "county", "/dashboard/", {"month": "2020-06"}),
        ("township dashboard (villages)", "county", "/dashboard/", {"region": data["township"], "month": "2020-06"}),
        ("village dashboard", "county", "/dashboard/", {"region": data["village"], "month": "2020-06"}),
        ("township officer: own dashboard", "township", "/dashboard/", {}),
        ("auditor (city): dashboard by county", "auditor", "/dashboard/", {}),
        ("county: Excel of one table", "county", "/dashboard/", {"month": "2020-06", "download": "families"}),
        ("county: map page", "county", "/dashboard/map/", {}),
        ("county: 工作台 home", "county", "/", {}),
        ("township: 工作台 home", "township", "/", {}),
        ("帮扶 cadre: 工作台 home", "cadre", "/", {}),
        ("county: 项目库 2019", "county", "/projects/", {"county": "141102", "year": "2019"}),
    ]
    clients = _driver.signed_in(data["users"])
    load_before = [round(x, 2) for x in os.getloadavg()]
    print(f"  load average before timing: {load_before}", file=sys.stderr)
    out: dict[str, Any] = {
        "vendor": connection.vendor,
        "households": households,
        "persons": data["persons"],
        **extra,
        "seed_seconds": round(seed_seconds, 1),
        "refresh_seconds": round(refresh_seconds, 1),
        "load_average_before": load_before,
        "scenarios": [
            base.time_scenario(clients[p], label, url, params, repeat, TARGET_MS) for label, p, url, params in scenarios
        ],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    return out


def main() -> None:
    _driver.page_bench(
        script=__file__, doc=__doc__ or "", measure=measure, results="dashboard", target_ms=TARGET_MS,
        pg_db="jingzhun_bench_dashboard",
    )  # fmt: skip


if __name__ == "__main__":
    main()
