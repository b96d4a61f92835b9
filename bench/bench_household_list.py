"""Benchmark: the staff household list and search at 100 000 households (target < 200 ms per request).

    uv run python bench/bench_household_list.py [--households 100000] [--no-postgres] [--repeat 7]

Builds a county of ``--households`` households (~2.9 persons each, 400 villages in 13 townships) with
``bulk_create`` — fast, and the same rows the importer writes — in a fresh SQLite file under a temporary
directory and in a dedicated PostgreSQL database ``jingzhun_bench_web`` (created and dropped here; skip it
with ``--no-postgres``; ``--database-url``, ``--keep``: bench/_driver.py). Each database is measured in its own
child process so Django starts fresh.

Requests go through Django's test client with a signed-in persona: URL routing, middleware, the scoped
queries, template rendering — everything but the socket. Each scenario runs once to warm up, then
``--repeat`` times; the median and the maximum are reported, with the CPU time of the Django process (with
SQLite that is all the work; the machine is shared, so wall times follow its load average, also recorded).
Then each scenario's database queries are run once more under ``EXPLAIN`` (SQLite: ``EXPLAIN QUERY PLAN``;
PostgreSQL: ``EXPLAIN ANALYZE``, with the server's own execution time) so that the report shows which index
each query reads. Writes ``bench/results/household_list.json``.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
COUNTY = "141102"
TOWNSHIPS = 13
VILLAGES = 400
PG_BENCH_DB = "jingzhun_bench_web"
TARGET_MS = 200.0
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘"
    "杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = ("秀英", "桂兰", "玉兰", "建国", "建华", "志强", "文华", "春生", "有福", "保平", "小军", "海燕")
GIVEN += ("丽娟", "红梅", "明亮", "国庆", "永刚", "俊杰", "晓东", "淑珍", "凤英", "金花", "德胜")


def seed(households: int) -> dict[str, Any]:
    """Regions, households, persons (with one income row per head), enrollments and personas, in bulk."""
    import numpy as np
    from django.contrib.auth.models import User
    from django.db import connection
    from django.utils import timezone

    from jingzhun.assistance.models import Enrollment
    from jingzhun.core.models import Role, StaffProfile
    from jingzhun.registry.idnumber import make_id_number
    from jingzhun.registry.models import Household, IncomeRecord, Person, Region

    rng = np.random.default_rng(2018)
    county = Region.objects.get(code=COUNTY)
    townships = Region.objects.bulk_create(
        Region(code=f"{COUNTY}{t + 1:03d}000", name=f"第{t + 1}镇", level="township", parent=county)
        for t in range(TOWNSHIPS)
    )
    villages = Region.objects.bulk_create(
        Region(
            code=f"{COUNTY}{v % TOWNSHIPS + 1:03d}{v // TOWNSHIPS + 1:03d}",
            name=f"第{v + 1}村",
            level="village",
            parent=townships[v % TOWNSHIPS],
        )
        for v in range(VILLAGES)
    )
    users = {}
    for name, role, region in (
        ("county", Role.COUNTY_OFFICER, county),
        ("township", Role.TOWNSHIP_OFFICER, townships[0]),
        ("village", Role.VILLAGE_CADRE, villages[0]),
        ("cadre", Role.ASSIGNED_CADRE, villages[0]),
        ("auditor", Role.AUDITOR, Region.objects.get(code="141100")),
    ):
        users[name] = User.objects.create_user(name)
        StaffProfile.objects.create(user=users[name], role=role, region=region)

    village_of = rng.integers(0, VILLAGES, size=households)
    rank = np.zeros(households, dtype=np.int64)
    seen: dict[int, int] = {}
    for i, v in enumerate(village_of.tolist()):
        rank[i] = seen.get(v, 0)
        seen[v] = rank[i] + 1
    statuses = rng.choice(["not_exited", "exited_supported", "returned", "exited_closed", ""], size=households)
    rows = []
    for i in range(households):
        village = villages[int(village_of[i])]
        status = str(statuses[i]) or None
        rows.append(
            Household(
                household_no=f"{village.code}{int(rank[i]) + 1:04d}",
                village=village,
                address=f"{village.name}{i % 40 + 1}组",
                area="rural",
                registered_year=2016 if status else None,
                status=status,
                housing_grade="B",
                assigned_cadre=users["cadre"] if village == villages[0] and i % 7 == 0 else None,
                active=i % 50 != 0,
            )
        )
    Household.objects.bulk_create(rows, batch_size=5000)
    pks = list(Household.objects.order_by("pk").values_list("pk", flat=True))
    sizes = rng.choice([1, 2, 3, 4, 5], size=households, p=[0.12, 0.25, 0.3, 0.23, 0.1])
    births = rng.integers(-20_000, 12_000, size=int(sizes.sum()))
    epoch, serial = dt.date(1970, 1, 1), {}
    persons, n = [], 0
    for h, size in enumerate(sizes.tolist()):
        for k in range(size):
            birth = epoch + dt.timedelta(days=int(births[n]))
            sex = "M" if (h + k) % 2 == 0 else "F"
            key = (birth, sex)
            serial[key] = serial.get(key, -1) + 1
            name = SURNAMES[(h * 7 + k) % len(SURNAMES)] + GIVEN[(h * 3 + k * 5) % len(GIVEN)]
            persons.append(
                Person(
                    household_id=pks[h],
                    id_number=make_id_number(COUNTY, birth, serial[key], sex),
                    name=name,
                    relation="head" if k == 0 else "child",
                    sex=sex,
                    birth_date=birth,
                    self_care="full",
                    labour="full",
                    student="none",
                )
            )
            n += 1
    Person.objects.bulk_create(persons, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # PostgreSQL plans the next reads on fresh statistics, not empty tables
    heads = Person.objects.filter(relation="head").order_by().values_list("pk", flat=True)
    IncomeRecord.objects.bulk_create(
        [IncomeRecord(person_id=pk, year=2019, wages_fen=int(pk % 9) * 100_000) for pk in heads],
        batch_size=5000,
    )
    now = timezone.now()
    Enrollment.objects.bulk_create(
        (
            Enrollment(
                household_id=pk,
                family="dibao",
                start_month=dt.date(2019, 1, 1),
                source="initial_roll",
                next_review_due=dt.date(2030, 1, 1),
                last_decided_at=now,
            )
            for pk in pks[::10]
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:  # what autovacuum does after a bulk import: statistics, visibility map
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    sample = Person.objects.filter(household__active=True).order_by("pk")[len(persons) // 2]
    deep = Household.objects.filter(active=True).order_by("household_no").values_list("household_no", flat=True)
    return {
        "users": users,
        "persons": len(persons),
        "sample": sample,
        "deep_after": deep[int(households * 0.9)],
        "village": villages[5].code,
        "township": townships[3].code,
        "last_township": townships[-1].code,  # its 户编号 sort last: a walk in 户编号 order would read them all
        "deeper_after": deep[int(households * 0.97)],
    }


def measure(households: int, repeat: int) -> dict[str, Any]:
    """Seed, then time every scenario; runs inside a child process with DATABASE_URL set."""
    import _driver

    _driver.django_ready()
    from django.db import connection

    started = time.perf_counter()
    data = seed(households)
    seed_seconds = time.perf_counter() - started
    sample = data["sample"]
    scenarios: list[tuple[str, str, str, dict[str, str]]] = [
        ("county: list, page 1", "county", "/households/", {}),
        ("county: list, page at 90%", "county", "/households/", {"after": data["deep_after"]}),
        ("county: search a full name", "county", "/households/", {"q": sample.name}),
        ("county: search a surname (many hits)", "county", "/households/", {"q": sample.name[0]}),
        ("county: search ID last 4 digits", "county", "/households/", {"q": sample.id_number[-4:]}),
        ("county: search a whole ID number", "county", "/households/", {"q": sample.id_number}),
        ("county: search a 户编号 prefix", "county", "/households/", {"q": data["village"]}),
        ("county: filter one village", "county", "/households/", {"region": data["village"]}),
        ("county: filter one township", "county", "/households/", {"region": data["township"]}),
        ("county: filter the last township", "county", "/households/", {"region": data["last_township"]}),
        (
            "county: one village + status 未脱贫",
            "county",
            "/households/",
            {"region": data["village"], "status": "not_exited"},
        ),
        (
            "county: last township + status 返贫",
            "county",
            "/households/",
            {"region": data["last_township"], "status": "returned"},
        ),
        ("county: ID last 4 digits + 低保", "county", "/households/", {"q": sample.id_number[-4:], "family": "dibao"}),
        ("county: filter 在册低保", "county", "/households/", {"family": "dibao"}),
        (
            "county: status 已脱贫(享受政策) + closed too",
            "county",
            "/households/",
            {"status": "exited_supported", "active": "all"},
        ),
        ("county: name search + 低保 filter", "county", "/households/", {"q": sample.name[0], "family": "dibao"}),
        ("township: list", "township", "/households/", {}),
        ("village cadre: list", "village", "/households/", {}),
        ("village cadre: name search", "village", "/households/", {"q": sample.name[0]}),
        ("帮扶 cadre: list", "cadre", "/households/", {}),
        ("auditor (city): list", "auditor", "/households/", {}),
        ("API county: list", "county", "/api/households", {}),
        ("API county: search a name", "county", "/api/households", {"q": sample.name}),
        ("API county: page at 90%", "county", "/api/households", {"after": data["deep_after"]}),
        ("API county: page back from 97%", "county", "/api/households", {"before": data["deeper_after"]}),
        ("county: household page (with entitlements)", "county", f"/households/{sample.household_id}/", {}),
    ]
    clients = _driver.signed_in(data["users"])
    load_before = [round(x, 2) for x in os.getloadavg()]
    print(f"  load average before timing: {load_before}", file=sys.stderr)
    out: dict[str, Any] = {
        "vendor": connection.vendor,
        "load_average_before": load_before,
        "households": households,
        "persons": data["persons"],
        "seed_seconds": round(seed_seconds, 1),
        "scenarios": [time_scenario(clients[p], label, url, params, repeat) for label, p, url, params in scenarios],
    }
    print("  — query plans (one more request per scenario):", file=sys.stderr)
    out["plans"] = [explain_scenario(clients[p], label, url, params) for label, p, url, params in scenarios]
    out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(f"  load average after: {out['load_average_after']}", file=sys.stderr)
    return out


SKIP_PLAN = ('FROM "django_session"', 'FROM "auth_user"', 'FROM "core_staffprofile"')


def explain_scenario(client: Any, label: str, url: str, params: dict[str, str]) -> dict[str, Any]:
    """The scenario's queries (not the session and login reads) with their plans."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url, params)
    queries = []
    print(f"  {label}", file=sys.stderr)
    for captured in ctx.captured_queries:
        sql = captured["sql"]
        if any(skip in sql for skip in SKIP_PLAN) or not sql.startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                plan = [str(row[-1]) for row in cursor.fetchall()]
                access = [line for line in plan if line.startswith(("SCAN", "SEARCH", "USE TEMP"))]
            else:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS OFF) {sql}")
                plan = [row[0] for row in cursor.fetchall()]
                access = [line.strip(" ->") for line in plan if "Scan" in line or "Execution Time" in line]
        queries.append({"sql": sql[:300], "plan": plan})
        print(f"    {sql[7:70]:<63} {' | '.join(access)[:240]}", file=sys.stderr)
    return {"scenario": label, "queries": queries}


def time_scenario(
    client: Any, label: str, url: str, params: dict[str, str], repeat: int, target_ms: float = TARGET_MS
) -> dict[str, Any]:
    response = client.get(url, params)
    assert response.status_code == 200, (label, response.status_code)
    times, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        response = client.get(url, params)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        assert response.status_code == 200
    median, worst = statistics.median(times), max(times)
    cpu_ms = statistics.median(cpu)
    print(f"  {label:<45} median {median:7.1f} ms   max {worst:7.1f} ms   cpu {cpu_ms:7.1f} ms", file=sys.stderr)
    return {
        "scenario": label,
        "url": url,
        "params": params,
        "median_ms": round(median, 1),
        "max_ms": round(worst, 1),
        "median_cpu_ms": round(cpu_ms, 1),  # this process only (SQLite: all the work)
        "target_ms": target_ms,
        "under_target": median < target_ms,
    }


def main() -> None:
    import _driver

    _driver.page_bench(
        script=__file__, doc=__doc__ or "", measure=measure, results="household_list", target_ms=TARGET_MS,
        pg_db=PG_BENCH_DB, repeat=7,
    )  # fmt: skip


if __name__ == "__main__":
    main()
