"""Benchmark: the 帮扶记录 list and its 导出Excel (issue #15) at 100 000 households.

    uv run python bench/bench_help_list.py [--households 100000] [--repeat 5] [--no-postgres] [--database-url URL]

Seeds a county with the household-list benchmark's ``seed`` (400 villages in 13 townships, ~2.9 persons a
household), then two 帮扶记录 a household on average (2019-01 … 2020-06, every twentieth with a 走访照片 row)
in bulk, in a fresh SQLite file under a temporary directory and a PostgreSQL database ``jingzhun_bench_help``
(``BENCH_PG_DB``; created and dropped here) — or only in the database ``--database-url`` names (migrated and
filled, not dropped, and measured again without seeding on the next run). Requests go through Django's test
client signed in as the county officer (and the 帮扶 cadre): routing, middleware, the scoped queries,
rendering. Each scenario runs once to warm up, then ``--repeat`` times; median and maximum wall time (and the
Django process's CPU time) are printed with the load average (the machine is shared). Writes
``bench/results/help_list.json`` (bench/_driver.py).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from typing import Any

import _driver  # one main for the page benchmarks
import bench_household_list as base  # the same county and timing

URL = "/assistance/help/"
TARGET_MS = 300.0
KINDS = ("visit", "visit", "industry", "employment", "health", "finance", "education", "housing", "other")


def seed_help(rng: random.Random) -> int:
    """About two records a household, in bulk; every twentieth with a 走访照片 (attachment row, no file)."""
    from django.db import connection
    from django.utils import timezone

    from jingzhun.helping.models import HelpPhoto, HelpRecord
    from jingzhun.registry.attachments import Attachment
    from jingzhun.registry.models import Household

    start, span = dt.date(2019, 1, 1), 546
    records = [
        HelpRecord(
            household_id=pk,
            date=start + dt.timedelta(days=rng.randrange(span)),
            kind=rng.choice(KINDS),
            content="入户走访，核对家庭人口和收入",
            cadre_label="bench",
            public=True,
        )
        for pk in Household.objects.values_list("pk", flat=True).iterator()
        for _ in range(rng.choice((1, 2, 3)))
    ]
    HelpRecord.objects.bulk_create(records, batch_size=5000)
    now = timezone.now()
    saved = list(HelpRecord.objects.order_by("pk").values_list("pk", "household_id")[::20])
    photos = Attachment.objects.bulk_create(
        (
            Attachment(household_id=household, kind="visit_photo", name="门口.jpg", content_type="image/jpeg",
                       size=1000, sha256="0" * 64, stored=f"bench/{pk}.jpg", uploaded_at=now, uploaded_by="bench")
            for pk, household in saved
        ),
        batch_size=5000,
    )  # fmt: skip
    HelpPhoto.objects.bulk_create(
        (HelpPhoto(record_id=pk, attachment_id=a.pk) for (pk, _), a in zip(saved, photos, strict=True)),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return len(records)


def seeded() -> dict[str, Any]:
    """What ``seed`` returns, read back from a database it filled before."""
    from django.contrib.auth.models import User

    from jingzhun.registry.models import Person, Region

    users = {u.username: u for u in User.objects.filter(username__in=["county", "cadre"])}
    villages = Region.objects.filter(level="village", code__startswith="141102").order_by("pk")
    townships = Region.objects.filter(level="township", code__startswith="141102").order_by("pk")
    persons = Person.objects.filter(household__active=True).order_by("pk")
    return {
        "users": users,
        "sample": persons[persons.count() // 2],
        "village": villages[5].code,
        "township": townships[3].code,
    }


def measure(households: int, repeat: int) -> dict[str, Any]:
    """In the child: seed (unless an earlier run did), then time the scenarios."""
    _driver.django_ready()
    from django.db import connection

    started = time.perf_counter()
    from jingzhun.helping.models import HelpRecord

    if HelpRecord.objects.exists():  # a --database-url seeded by an earlier run: measure it again
        data = seeded()
    else:
        data = base.seed(households)
        records = seed_help(random.Random(15))
        print(
            f"{connection.vendor}: seeded {households} households, {records} 帮扶记录 "
            f"in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
    seed_seconds = time.perf_counter() - started
    clients = _driver.signed_in({p: data["users"][p] for p in ("county", "cadre")})
    name = data["sample"].name
    scenarios: list[tuple[str, str, dict[str, str]]] = [
        ("county: first page", "county", {}),
        ("county: page 200", "county", {"page": "200"}),
        ("county: one village", "county", {"region": data["village"]}),
        (
            "county: township, 走访, 2020",
            "county",
            {"region": data["township"], "kind": "visit", "since": "2020-01-01"},
        ),
        ("county: a name", "county", {"q": name}),
        ("county: name + ID tail", "county", {"q": f"{name} {data['sample'].id_tail}"}),
        ("county: 帮扶责任人", "county", {"cadre": "不存在的人"}),
        ("帮扶 cadre: own households", "cadre", {}),
        ("export: one village", "county", {"region": data["village"], "format": "xlsx"}),
        ("export: one township", "county", {"region": data["township"], "format": "xlsx"}),
    ]
    load_before = [round(x, 2) for x in os.getloadavg()]
    print(f"  load average before timing: {load_before}", file=sys.stderr)
    out: dict[str, Any] = {
        "vendor": connection.vendor,
        "households": households,
        "seed_seconds": round(seed_seconds, 1),
        "load_average_before": load_before,
        "scenarios": [
            base.time_scenario(clients[p], label, URL, params, repeat, TARGET_MS) for label, p, params in scenarios
        ],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    print(f"  load average after: {out['load_average_after']}", file=sys.stderr)
    return out


def main() -> None:
    _driver.page_bench(
        script=__file__, doc=__doc__ or "", measure=measure, results="help_list", target_ms=TARGET_MS,
        pg_db="jingzhun_bench_help", seeding="households and their 帮扶记录",
    )  # fmt: skip


if __name__ == "__main__":
    main()
