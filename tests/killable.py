"""The kill tests' other process: a job (or a command) on a database of its own, paused inside its
transaction so the test can SIGKILL it there.

    python -m tests.killable import-job FILE             # 信义村, victor, an import job of a copy of FILE → job id
    python -m tests.killable month-job MONTH             # alice (county officer), a month-run job → job id
    python -m tests.killable run JOB [--pause FLAG]      # the job's task, as the worker runs it
    python -m tests.killable status JOB                  # the job as its owner's page polls it (JSON)
    python -m tests.killable session USER                # a signed-in session of victor or alice: its cookie
    python -m tests.killable cli [--pause FLAG] ARGS...  # the jingzhun command

The pause exists only here: production code has no such switch. :func:`install_pause` wraps the progress
callbacks that the import (``registry.bulk.write_registry``) and the month run (``ledger.runs``) call
inside their one transaction after each chunk written: inside a transaction, they write FLAG and sleep.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jingzhun.cli.djsetup import setup


def install_pause(flag: Path) -> None:
    from django.db import connection

    from jingzhun.ledger import runs
    from jingzhun.registry import bulk

    def pause() -> None:
        if connection.in_atomic_block:  # rows of this transaction are written, none committed
            flag.write_text(str(os.getpid()))
            time.sleep(600)

    chunk_reporter = runs._chunk_reporter

    def paused_reporter(progress: Any, total: int) -> Callable[[int], None]:
        on_chunk = chunk_reporter(progress, total)
        return lambda done: (on_chunk(done), pause())[0]

    write_registry = bulk.write_registry

    def paused_write(parsed: Any, progress: Any = None) -> dict[str, int]:
        return write_registry(parsed, lambda rows: ((progress or (lambda _rows: None))(rows), pause())[0])

    runs._chunk_reporter = paused_reporter  # type: ignore[assignment]
    bulk.write_registry = paused_write


def _people() -> dict[str, Any]:
    """信义镇/信义村 of 离石区 (unless seeded already), victor (its cadre) and alice (county officer)."""
    from django.contrib.auth.models import User

    from jingzhun.core.models import Role, StaffProfile
    from jingzhun.registry.models import Region

    county = Region.objects.get(code="141102")
    township, _ = Region.objects.get_or_create(
        code="141102001000", defaults={"name": "信义镇", "level": "township", "parent": county}
    )
    village, _ = Region.objects.get_or_create(
        code="141102001001", defaults={"name": "信义村", "level": "village", "parent": township}
    )
    people = {}
    for name, role, region in (("victor", Role.VILLAGE_CADRE, village), ("alice", Role.COUNTY_OFFICER, county)):
        people[name], created = User.objects.get_or_create(username=name)
        if created:
            StaffProfile.objects.create(user=people[name], role=role, region=region)
    return people


def _import_job(source: Path) -> int:
    from django.conf import settings

    from jingzhun.core.models import BackgroundJob, JobKind

    victor = _people()["victor"]
    upload = Path(settings.VAR_DIR) / "uploads" / f"{uuid.uuid4().hex}{source.suffix}"
    upload.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, upload)
    params = {"path": str(upload), "name": source.name, "dry_run": False}
    scope = victor.staff.region.code
    return BackgroundJob.objects.create(kind=JobKind.IMPORT, owner=victor, region_prefix=scope, params=params).pk


def _month_job(month: str) -> int:
    from jingzhun.core.models import BackgroundJob, JobKind

    alice = _people()["alice"]
    return BackgroundJob.objects.create(
        kind=JobKind.MONTH_RUN, owner=alice, region_prefix="141102", params={"month": month}
    ).pk


def _session(username: str) -> str:
    from django.test import Client

    client = Client()
    client.force_login(_people()[username])
    return str(client.cookies["sessionid"].value)


def _run(job_id: int) -> None:
    from jingzhun.core.models import BackgroundJob, JobKind
    from jingzhun.ledger.tasks import month_run_job
    from jingzhun.registry.tasks import import_registry_file

    task = import_registry_file if BackgroundJob.objects.get(pk=job_id).kind == JobKind.IMPORT else month_run_job
    task.func(job_id)


def _status(job_id: int) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    from jingzhun.core.models import BackgroundJob, JobKind

    job = BackgroundJob.objects.select_related("owner").get(pk=job_id)
    client = Client()
    client.force_login(job.owner)
    name = "registry:import_status" if job.kind == JobKind.IMPORT else "runs:job_status"
    status = client.get(reverse(name, args=[job_id])).json()
    job.refresh_from_db()
    return {**status, "result": job.result}


def main(argv: list[str]) -> None:
    command, *args = argv
    pause = None
    if "--pause" in args:
        at = args.index("--pause")
        pause, args = Path(args[at + 1]), args[:at] + args[at + 2 :]
    setup()
    if pause is not None:
        install_pause(pause)
    if command == "import-job":
        print(_import_job(Path(args[0])))
    elif command == "month-job":
        print(_month_job(args[0]))
    elif command == "run":
        _run(int(args[0]))
    elif command == "session":
        print(_session(args[0]))
    elif command == "status":
        print(json.dumps(_status(int(args[0])), ensure_ascii=False))
    elif command == "cli":
        from jingzhun.cli import main as jingzhun

        sys.argv = ["jingzhun", *args]
        jingzhun()
    else:
        raise SystemExit(f"unknown command {command}")


@contextmanager
def separate_database(tmp_path: Path, connection: Any) -> Iterator[tuple[str, Callable[[str], int]]]:
    """(DATABASE_URL, count(sql) → int) of a fresh database of the suite's vendor: a SQLite file, or a
    PostgreSQL database of its own (created and dropped here) when the suite runs on PostgreSQL."""
    if connection.vendor == "postgresql":
        import psycopg

        s = connection.settings_dict
        name = f"jingzhun_killtest_{os.getpid()}"
        params = {"user": s["USER"], "host": s["HOST"], "port": s["PORT"] or 5432, "password": s["PASSWORD"] or None}
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')

        def count_pg(sql: str) -> int:
            with psycopg.connect(dbname=name, **params) as conn:
                row = conn.execute(sql).fetchone()
                return int(row[0]) if row else 0

        try:
            yield f"postgres://{s['USER']}@{s['HOST']}:{params['port']}/{name}", count_pg
        finally:
            with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        import sqlite3

        path = tmp_path / "killtest.sqlite3"

        def count_sqlite(sql: str) -> int:
            with sqlite3.connect(path) as conn:
                return int(conn.execute(sql).fetchone()[0])

        yield f"sqlite:///{path}", count_sqlite


def environment(url: str, home: Path) -> dict[str, str]:
    """The subprocesses' environment: the separate database, var/ under ``home``, shared bytecode."""
    import tempfile

    env = {**os.environ, "DATABASE_URL": url, "JINGZHUN_HOME": str(home)}
    # A served site refuses the development key (debug off), and the job subprocesses drive Django's
    # test client, whose host is "testserver" (no longer a default allowed host).
    env["JINGZHUN_SECRET_KEY"] = "kill-test-" + "k" * 40
    env["JINGZHUN_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    # Several fresh interpreters: let them share compiled bytecode (outside the repository) instead of
    # each compiling Django and the project again when PYTHONDONTWRITEBYTECODE is set.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "jingzhun-test-pycache")
    return env


def python(*args: str) -> list[str]:
    return [sys.executable, "-m", "tests.killable", *args]


def kill_when_paused(command: list[str], env: dict[str, str], cwd: Path, flag: Path) -> None:
    """Start ``command``, wait until it pauses inside its transaction (``flag`` appears), SIGKILL it."""
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    while not flag.exists():
        if process.poll() is not None:
            raise AssertionError(process.stderr.read().decode() if process.stderr else "exited")
        assert time.monotonic() < deadline, "it never reached its first write"
        time.sleep(0.1)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


if __name__ == "__main__":
    main(sys.argv[1:])
