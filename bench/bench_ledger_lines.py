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

import datetime as dt
import os
import sys
import time
from typing import Any

import _driver  # one main for the page benchmarks
import bench_household_list as base  # the same county, timing and plans

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
    _driver.django_ready()
    from django.db import connection

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
    clients = _driver.signed_in(data["users"])
    out: dict[str, Any] = {
        "vendor": connection.vendor,
        "households": households,
        "lines": lines,
        "seed_seconds": round(seed_seconds, 1),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "scenarios": [
            base.time_scenario(clients[p], label, url, params, repeat, TARGET_MS) for label, p, params in scenarios
        ],
    }
    print("  — query plans (one more request per scenario):", file=sys.stderr)
    out["plans"] = [base.explain_scenario(clients[p], label, url, params) for label, p, params in scenarios]
    out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return out


def main() -> None:
    _driver.page_bench(
        script=__file__, doc=__doc__ or "", measure=measure, results="ledger_lines", target_ms=TARGET_MS,
        pg_db="jingzhun_bench_lines", seeding="households and 12 months of lines",
    )  # fmt: skip


if __name__ == "__main__":
    main()
