"""Benchmark: the 发放明细 page (``/ledger/lines/``) at 100 000 households × 12 months (target < 300 ms).

    uv run python bench/bench_ledger_lines.py [--households 100000] [--no-postgres] [--repeat 5]

Seeds the county of ``bench_household_list.seed`` (400 villages in 13 townships), then the ledger in one
``INSERT … SELECT`` per month: a 低保补差 line for two households in three and a 高龄补贴 line for one in five,
every month of 2020 (≈ 1.07 M lines at 10⁵ households), a ``paid`` bank status for every line of January to
November (December's are 待发). The PostgreSQL database is ``BENCH_PG_DB`` (default jingzhun_bench_lines),
dropped and created here. Each scenario (the county, a township, a village cadre; one month, the year, a
status, a program, a name search, a page deep in the list) is timed through the test client and its queries
explained, as bench_household_list.py does. Writes ``bench/results/ledger_lines.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import bench_household_list as base  # the same county, child runner, timing, plans and PostgreSQL admin helper

HERE = Path(__file__).resolve().parent
PG_BENCH_DB = os.environ.get("BENCH_PG_DB", "jingzhun_bench_lines")
TARGET_MS = 300.0


def seed_lines() -> int:
    """Twelve months of lines and their bank statuses, in SQL (the ORM would take minutes)."""
    from django.db import connection

    from jingzhun.ledger.models import PaymentLine, PaymentStatusEvent
    from jingzhun.registry.models import Household

    lines, events, households = (m._meta.db_table for m in (PaymentLine, PaymentStatusEvent, Household))
    now = dt.datetime(2021, 1, 5, 8, 0, tzinfo=dt.UTC)
    with connection.cursor() as cursor:
        for month in range(1, 13):
            first = dt.date(2020, month, 1)
            for program, every, fen, keep in (("dibao", 3, 45_000, "<> 0"), ("elderly_allowance", 5, 10_000, "= 0")):
                cursor.execute(
                    f"INSERT INTO {lines} (household_id, program, month, amount_fen, kind, reason, explain_key, "
                    f"persons, created_at, actor_label) SELECT id, %s, %s, %s + (id %% 7) * 100, 'payment', '', '', "
                    f"1, %s, 'bench' FROM {households} WHERE id %% {every} {keep} ORDER BY id",
                    [program, first, fen, now],
                )
        cursor.execute(
            f"INSERT INTO {events} (line_id, status, reference, note, at, actor_label) "
            f"SELECT id, 'paid', '', '', %s, 'bench' FROM {lines} WHERE month < %s ORDER BY id",
            [now, dt.date(2020, 12, 1)],
        )
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return PaymentLine.objects.count()


def measure(households: int, repeat: int) -> dict[str, Any]:
    from jingzhun.cli.djsetup import setup

    setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    data = base.seed(households)
    lines = seed_lines()
    seed_seconds = time.perf_counter() - started
    from jingzhun.ledger.models import PaymentLine

    deep = PaymentLine.objects.filter(month=dt.date(2020, 6, 1)).order_by("id").values_list("pk", flat=True)
    deep_after = f"2020-06:{deep[int(deep.count() * 0.9)]}"
    sample = data["sample"]
    url = "/ledger/lines/"
    june, year = {"from": "2020-06"}, {"from": "2020-01", "to": "2020-12"}
    scenarios: list[tuple[str, str, dict[str, str]]] = [
        ("county: one month, page 1", "county", june),
        ("county: one month, page at 90%", "county", {**june, "after": deep_after}),
        ("county: 12 months, page 1", "county", year),
        ("county: 12 months, status 待发", "county", {**year, "status": "pending"}),
        ("county: 12 months, status 已到账", "county", {**year, "status": "paid"}),
        ("county: one month, 高龄补贴", "county", {**june, "program": "elderly_allowance"}),
        ("county: one month, one township", "county", {**june, "region": data["township"]}),
        ("county: 12 months, one village", "county", {**year, "region": data["village"]}),
        ("county: 12 months, a full name", "county", {**year, "q": sample.name}),
        ("county: 12 months, ID last 4 digits", "county", {**year, "q": sample.id_number[-4:]}),
        ("township: one month", "township", june),
        ("village cadre: 12 months", "village", year),
        ("auditor (city): one month", "auditor", june),
    ]
    clients: dict[str, Client] = {}
    for persona, user in data["users"].items():
        clients[persona] = Client()
        clients[persona].force_login(user)
    out: dict[str, Any] = {
        "vendor": connection.vendor,
        "households": households,
        "lines": lines,
        "seed_seconds": round(seed_seconds, 1),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "scenarios": [base.time_scenario(clients[p], label, url, params, repeat) for label, p, params in scenarios],
    }
    for scenario in out["scenarios"]:
        scenario["under_target"] = scenario["median_ms"] < TARGET_MS
    print("  — query plans (one more request per scenario):", file=sys.stderr)
    out["plans"] = [base.explain_scenario(clients[p], label, url, params) for label, p, params in scenarios]
    out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.households, args.repeat), ensure_ascii=False))
        return
    results: dict[str, Any] = {
        "target_ms": TARGET_MS,
        "households": args.households,
        "repeat": args.repeat,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "measured_at": dt.datetime.now().isoformat(timespec="seconds"),
    }
    with tempfile.TemporaryDirectory(prefix="jingzhun-bench-lines-") as tmp:
        targets = {} if args.no_sqlite else {"sqlite": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"}
        if not args.no_postgres:
            base._pg(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
            base._pg(f"CREATE DATABASE {PG_BENCH_DB}")
            targets["postgresql"] = base.PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql:", "postgres:")
            targets["postgresql"] += "/" + PG_BENCH_DB
        try:
            for name, url in targets.items():
                print(f"{name}: seeding {args.households} households and 12 months of lines …", file=sys.stderr)
                results[name] = base._child(url, args.households, args.repeat, tmp, script=__file__)
                worst = max(s["median_ms"] for s in results[name]["scenarios"])
                print(f"{name}: slowest median {worst:.1f} ms (target {TARGET_MS:.0f} ms)", file=sys.stderr)
        finally:
            if not args.no_postgres:
                base._pg(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
    out = HERE / "results" / "ledger_lines.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
