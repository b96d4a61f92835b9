"""Benchmark: import a 100 000-household / ~300 000-person county from .xlsx (target < 60 s).

    uv run python bench/bench_import.py [--households 100000] [--postgres] [--cache DIR]

Generates its own files (regions.csv + households.xlsx, vectorised with numpy, written with xlsxwriter in
constant-memory mode), migrates a fresh SQLite database under a temporary directory and — with
``--postgres`` or ``BENCH_PG=1`` — a dedicated PostgreSQL database ``jingzhun_bench`` (created and dropped
here), imports both files with timing, and writes ``bench/results/import.json``.
Generation is not timed; the import (read, validate, write) is. ``--cache DIR`` keeps the generated files
there and reuses them on the next run with the same size and seed (generating takes minutes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
COUNTY = "141102"
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = "jingzhun_bench"


def generate(households: int, out: Path, seed: int = 2018) -> tuple[Path, Path, int]:
    """Write regions.csv and households.xlsx in the columns.py format; return the paths and person count."""
    import xlsxwriter

    from jingzhun.registry import columns as c
    from jingzhun.registry.idnumber import make_id_number

    rng = np.random.default_rng(seed)
    n_villages = max(1, households // 250)
    n_towns = max(1, n_villages // 30)
    towns = [f"{COUNTY}{t + 1:03d}000" for t in range(n_towns)]
    villages = [f"{COUNTY}{v % n_towns + 1:03d}{v // n_towns + 1:03d}" for v in range(n_villages)]
    regions = out / "regions.csv"
    with regions.open("w", encoding="utf-8") as f:
        f.write("区域代码,名称,层级,上级代码\n")
        f.writelines(f"{t},第{i + 1}镇,乡镇,{COUNTY}\n" for i, t in enumerate(towns))
        f.writelines(f"{v},第{i + 1}村,村,{v[:9]}000\n" for i, v in enumerate(villages))

    sizes = rng.choice([1, 2, 3, 4, 5, 6], size=households, p=[0.12, 0.2, 0.3, 0.22, 0.11, 0.05])
    n = int(sizes.sum())
    hh_index = np.repeat(np.arange(households), sizes)
    first = np.r_[0, np.cumsum(sizes)[:-1]]
    is_head = np.zeros(n, dtype=bool)
    is_head[first] = True
    birth_days = rng.integers(-25_000, 12_000, size=n)  # days from 1970-01-01: born 1901–2002
    sex = rng.choice(["M", "F"], size=n)
    # A unique sequence per (birth date, sex) keeps every generated ID number distinct.
    order = np.lexsort((sex, birth_days))
    key = birth_days[order] * 2 + (sex[order] == "M")
    starts = np.r_[True, key[1:] != key[:-1]]
    group_start = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    sequence = np.empty(n, dtype=np.int64)
    sequence[order] = np.arange(n) - group_start
    epoch = dt.date(1970, 1, 1)
    births = [epoch + dt.timedelta(days=int(d)) for d in birth_days]
    ids = [make_id_number(COUNTY, b, int(s), str(x)) for b, s, x in zip(births, sequence, sex, strict=True)]
    registered = rng.random(households) < 0.6
    wages = rng.integers(0, 2_000_000, size=n) * (rng.random(n) < 0.4)
    farming = rng.integers(0, 500_000, size=n) * (rng.random(n) < 0.5)
    relations = ["配偶", "子女", "父母", "孙子女"]

    book = out / "households.xlsx"
    wb = xlsxwriter.Workbook(str(book), {"constant_memory": True})
    ws = wb.add_worksheet("户籍")
    ws.write_row(0, 0, c.HEADERS)
    for i in range(n):
        h = int(hh_index[i])
        head = bool(is_head[i])
        reg = bool(registered[h])
        household = [
            f"H{h + 1:07d}",
            villages[h % n_villages],
            f"第{h % 40 + 1}组{h % 97 + 1}号",
            "农村",
            2016 if reg else None,
            "未脱贫" if reg else None,
            "2016-05-01" if reg else None,
            "因病、缺技术" if reg else None,
            "B",
            85.5,
            "是",
            "农村信用社",
            f"62{h:014d}",
            "王干部" if reg else None,
            None,
            None,
        ]
        person = [
            f"成员{i}",
            ids[i],
            "户主" if head else relations[i % 4],
            "男" if sex[i] == "M" else "女",
            births[i].isoformat(),
            (i % 4) + 1 if i % 17 == 0 else None,
            "肢体" if i % 17 == 0 else None,
            "是" if i % 17 == 0 else "否",
            "否",
            "否",
            "全自理",
            "有劳动力" if i % 3 else "弱劳动力",
            "非在校",
            None,
            "否",
            "是" if i % 23 == 0 else "否",
            "高血压" if i % 11 == 0 else None,
            "否",
            "是",
            "否" if i % 13 == 0 else "是",
            None,
            2019,
            int(wages[i]) / 100,
            int(farming[i]) / 100,
            0,
            0,
            120.5,
        ]
        ws.write_row(i + 1, 0, (household if head or i % 5 == 0 else [household[0]] + [None] * 15) + person)
    wb.close()
    return regions, book, n


def _child(files: list[Path]) -> None:
    """In a fresh process on DATABASE_URL: migrate, import each file, print timings as JSON on the last line."""
    from jingzhun.cli.djsetup import setup

    setup()
    from django.core.management import call_command

    from jingzhun.core.actions import Actor
    from jingzhun.registry.importer import import_file

    call_command("migrate", verbosity=0)
    out: dict[str, object] = {}
    for path in files:
        phases: list[float] = []
        start, cpu = time.perf_counter(), time.process_time()

        def tick(done: int, total: int, phases: list[float] = phases, start: float = start) -> None:
            # reading, checking and writing each end at a third of the total (importer.import_file)
            while len(phases) < 3 and done * 3 >= total * (len(phases) + 1):
                phases.append(time.perf_counter() - start)

        report = import_file(path, actor=Actor.system("bench"), progress=tick)
        assert report.written and not report.errors, report.error_lines()[:5]
        wall = time.perf_counter() - start
        marks = [0.0, *phases[:2], wall]
        out[path.name] = {
            "wall": wall,
            "cpu": time.process_time() - cpu,  # this process only (PostgreSQL's own work is not in it)
            "read": marks[1] - marks[0],
            "check": marks[2] - marks[1],
            "write": marks[3] - marks[2],
        }
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def _migrate_and_import(env: dict[str, str], files: list[Path]) -> dict[str, Any]:
    """Run migrate and the timed imports in a child process so each database starts Django fresh."""
    command = [sys.executable, __file__, "--child", *map(str, files)]
    proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark import failed:\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _files(households: int, seed: int, where: Path) -> tuple[Path, Path, int]:
    """Generated files for this size and seed, from ``where`` when an earlier run left them there."""
    where.mkdir(parents=True, exist_ok=True)
    meta = where / "bench_import_files.json"
    wanted = {"households": households, "seed": seed}
    if meta.exists() and json.loads(meta.read_text())["key"] == wanted:
        persons = int(json.loads(meta.read_text())["persons"])
        print(f"reusing {households} households / {persons} persons from {where}")
        return where / "regions.csv", where / "households.xlsx", persons
    t0 = time.perf_counter()
    regions, book, persons = generate(households, where, seed)
    meta.write_text(json.dumps({"key": wanted, "persons": persons}))
    print(f"generated {households} households / {persons} persons in {time.perf_counter() - t0:.1f}s")
    return regions, book, persons


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true", default=os.environ.get("BENCH_PG") == "1")
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--cache", type=Path, help="keep and reuse the generated files in this directory")
    parser.add_argument("--child", nargs="+", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return

    with tempfile.TemporaryDirectory(prefix="jingzhun-bench-") as tmp:
        work = Path(tmp)
        regions, book, persons = _files(args.households, args.seed, args.cache or work)
        results: dict[str, object] = {
            "households": args.households,
            "persons": persons,
            "xlsx_mb": round(book.stat().st_size / 2**20, 1),
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
            # The benchmark shares its machine; the load says how much CPU it actually had.
            "load_average_at_start": [round(x, 1) for x in os.getloadavg()],
        }
        targets = {"sqlite": f"sqlite:///{work / 'bench.sqlite3'}"}
        if args.postgres:
            _pg(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
            _pg(f"CREATE DATABASE {PG_BENCH_DB}")
            targets["postgresql"] = (
                PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql:", "postgres:") + "/" + PG_BENCH_DB
            )
        try:
            for name, url in targets.items():
                env = {**os.environ, "DATABASE_URL": url, "JINGZHUN_HOME": tmp}
                timing = _migrate_and_import(env, [regions, book])
                main_file, rss = timing[book.name], timing["peak_rss_mb"]
                results[name] = {
                    "import_seconds": round(main_file["wall"], 2),
                    "phases_seconds": {k: round(main_file[k], 2) for k in ("read", "check", "write")},
                    "cpu_seconds": round(main_file["cpu"], 2),
                    "regions_seconds": round(timing[regions.name]["wall"], 3),
                    "persons_per_second": round(persons / main_file["wall"]),
                    "peak_rss_mb": round(rss),
                }
                phases = ", ".join(f"{k} {v:.1f}s" for k, v in results[name]["phases_seconds"].items())  # type: ignore[index]
                print(
                    f"{name}: {main_file['wall']:.1f}s ({phases}; cpu {main_file['cpu']:.1f}s), peak RSS {rss:.0f} MB"
                )
        finally:
            if args.postgres:
                _pg(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
    results["load_average_at_end"] = [round(x, 1) for x in os.getloadavg()]
    out = HERE / "results" / "import.json"
    out.parent.mkdir(exist_ok=True)
    results["bench_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written {out}")


if __name__ == "__main__":
    main()
