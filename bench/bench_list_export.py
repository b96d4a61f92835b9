"""Benchmark: 导出Excel of the staff lists (issue #15) on a seeded county — how long a download takes.

    uv run python bench/bench_list_export.py [--households 30000] [--repeat 3]

Seeds a county in a fresh SQLite file (the household-list benchmark's ``seed``: 400 villages in 13 townships,
~2.9 persons a household, every tenth household in 低保) and downloads, through Django's test client as the
county officer: one village's households, one township's, the whole county (capped at the export limit,
20 000 rows), and the 在册对象 list. Prints the median and maximum wall time, the rows in each file and its
size, with the load average (the machine is shared; wall times follow its load).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jingzhun-bench-export-") as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ["JINGZHUN_HOME"] = tmp
        os.environ["JINGZHUN_DEBUG"] = ""
        run(args.households, args.repeat)


def run(households: int, repeat: int) -> None:
    from jingzhun.cli.djsetup import setup

    setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from openpyxl import load_workbook

    from bench.bench_household_list import seed

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    data = seed(households)
    print(f"seeded {households} households in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    client = Client()
    client.force_login(data["users"]["county"])
    scenarios = [
        ("户籍查询: one village", "/households/", {"region": data["village"]}),
        ("户籍查询: one township", "/households/", {"region": data["township"]}),
        ("户籍查询: whole county (capped)", "/households/", {}),
        ("在册对象: 低保, whole county", "/assistance/enrollments/", {"family": "dibao"}),
    ]
    print(f"load average before: {[round(x, 2) for x in os.getloadavg()]}")
    for label, url, params in scenarios:
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            response = client.get(url, {**params, "format": "xlsx"})
            times.append(time.perf_counter() - t)
            assert response.status_code == 200, (label, response.status_code)
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        rows = sum(1 for _ in sheet.iter_rows()) - 3
        print(
            f"{label:<32} median {statistics.median(times):6.2f} s  max {max(times):6.2f} s  "
            f"{rows:>6} rows  {len(response.content) / 1e6:5.2f} MB"
        )
    print(f"load average after: {[round(x, 2) for x in os.getloadavg()]}")


if __name__ == "__main__":
    main()
