"""What the database benchmarks share: the PostgreSQL database of their own, the child process per
database, the synthetic county imported through the registry importer, and one ``main`` for the page
benchmarks (bench_household_list.py, bench_dashboard.py, bench_ledger_lines.py, bench_help_list.py).

A page benchmark gives :func:`page_bench` its ``measure(households, repeat)`` (run in a child process with
``DATABASE_URL`` set: seed, then time pages; returns a JSON-able dict with ``scenarios``, each with
``median_ms``); the driver parses the common arguments, measures SQLite in a temporary file and PostgreSQL
in a database of the bench's own (``BENCH_PG_DB`` or the bench's default; created and dropped here), or
just the database ``--database-url`` names (migrated and filled, never dropped), and writes
``bench/results/NAME.json`` (``NAME-postgresql.json`` when SQLite was not measured).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
COUNTY = "141102"


def pg(sql: str, admin_url: str = PG_ADMIN_URL) -> None:
    """Run one statement on the PostgreSQL server's admin database (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql)


def pg_url(name: str) -> str:
    """The DATABASE_URL of the database ``name`` on the admin URL's server."""
    return PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql:", "postgres:") + "/" + name


@contextmanager
def pg_database(name: str, *, keep: bool = False, force: bool = False) -> Iterator[str]:
    """A fresh PostgreSQL database ``name`` (``BENCH_PG_DB`` when set; dropped first if left over), its URL;
    dropped afterwards unless ``keep``. ``force`` ends other sessions still connected to it."""
    name = os.environ.get("BENCH_PG_DB", name)
    drop = f"DROP DATABASE IF EXISTS {name}" + (" WITH (FORCE)" if force else "")
    pg(drop)
    pg(f"CREATE DATABASE {name}")
    try:
        yield pg_url(name)
    finally:
        if not keep:
            pg(drop)


def child(script: str, env: dict[str, str], *args: str, show_output: bool = True) -> dict[str, Any]:
    """Run ``python script *args`` with ``env``; its last stdout line is the JSON result. With
    ``show_output`` its stderr (progress, figures) goes to the terminal, else it is kept for the error."""
    proc = subprocess.run(
        [sys.executable, script, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=None if show_output else subprocess.PIPE,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        detail = "" if show_output else f":\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
        raise SystemExit(f"benchmark child {Path(script).name} {' '.join(args[:2])} failed{detail}")
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def machine() -> dict[str, Any]:
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}


def write_results(name: str, results: dict[str, Any]) -> Path:
    out = HERE / "results" / f"{name}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return out


def synthesise(households: int, seed: int, tmp: str) -> Any:
    """The synthetic 离石区 (``synth.generate.generate_county``) in ``tmp``/synth; prints its size."""
    from jingzhun.synth.generate import generate_county

    started = time.perf_counter()
    synth = generate_county(COUNTY, households, seed, Path(tmp) / "synth")
    print(
        f"synthesised {synth.households} households / {synth.persons} persons in {time.perf_counter() - started:.1f}s"
    )
    return synth


def import_synthetic(files: list[str]) -> tuple[Any, float]:
    """In a child: set Django up, migrate, import the synthetic files through the registry importer; the
    system actor and the import's seconds."""
    from jingzhun.cli.djsetup import setup

    setup()
    from django.core.management import call_command

    from jingzhun.core.actions import Actor
    from jingzhun.registry.importer import import_file

    call_command("migrate", verbosity=0)
    actor = Actor.system("bench")
    started = time.perf_counter()
    for path in files:
        report = import_file(Path(path), actor=actor)
        assert report.written and not report.errors, report.errors[:5]
    return actor, time.perf_counter() - started


def django_ready() -> None:
    """In a page benchmark's child: Django set up for the test client (not ``setup_test_environment``: it
    slows templates) and the database migrated."""
    from jingzhun.cli.djsetup import setup

    setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)


def signed_in(users: dict[str, Any]) -> dict[str, Any]:
    """A test client signed in as each persona's user."""
    from django.test import Client

    clients = {}
    for persona, user in users.items():
        clients[persona] = Client()
        clients[persona].force_login(user)
    return clients


def page_bench(
    *,
    script: str,
    doc: str,
    measure: Callable[[int, int], dict[str, Any]],
    results: str,
    target_ms: float,
    pg_db: str,
    repeat: int = 5,
    seeding: str = "households and timing",
) -> None:
    """The ``main`` of a page benchmark (see the module's docstring)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--database-url", default="", help="measure this database only (filled, never dropped)")
    parser.add_argument("--keep", metavar="DIR", help="keep the SQLite file in DIR and the PostgreSQL database")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.households, args.repeat), ensure_ascii=False))
        return
    out: dict[str, Any] = {
        "target_ms": target_ms,
        "households": args.households,
        "repeat": args.repeat,
        "machine": machine(),
        "measured_at": dt.datetime.now().isoformat(timespec="seconds"),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],  # other jobs share the machine
    }
    with tempfile.TemporaryDirectory(prefix=f"jingzhun-bench-{results}-") as scratch:
        tmp = args.keep or scratch
        Path(tmp).mkdir(parents=True, exist_ok=True)
        sqlite = Path(tmp) / "bench.sqlite3"
        sqlite.unlink(missing_ok=True)

        def run(name: str, url: str) -> None:
            print(f"{name}: seeding {args.households} {seeding} …", file=sys.stderr)
            env = {**os.environ, "DATABASE_URL": url, "JINGZHUN_HOME": tmp, "JINGZHUN_DEBUG": ""}
            counts = ["--households", str(args.households), "--repeat", str(args.repeat)]
            out[name] = child(script, env, "--child", *counts)
            worst = max(s["median_ms"] for s in out[name]["scenarios"])
            print(f"{name}: slowest median {worst:.1f} ms (target {target_ms:.0f} ms)", file=sys.stderr)

        if args.database_url:
            run("postgresql" if args.database_url.startswith("postgres") else "sqlite", args.database_url)
        else:
            if not args.no_sqlite:
                run("sqlite", f"sqlite:///{sqlite}")
            if not args.no_postgres:
                with pg_database(pg_db, keep=bool(args.keep)) as url:
                    run("postgresql", url)
    written = write_results(results if "sqlite" in out else f"{results}-postgresql", out)
    print(f"written {written}", file=sys.stderr)
