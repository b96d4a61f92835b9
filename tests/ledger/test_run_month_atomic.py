"""A month run killed mid-write leaves nothing behind, and the next run succeeds.

A real `jingzhun run-month` process, on its own database (a SQLite file, or a dedicated PostgreSQL
database when the suite runs on PostgreSQL), pauses after writing its first lines inside the open
transaction (``JINGZHUN_LEDGER_PAUSE_FILE``) and is SIGKILLed there.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from jingzhun.ledger.runs import PAUSE_ENV

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]
JINGZHUN = str(Path(sys.executable).parent / "jingzhun")


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """(DATABASE_URL, count(sql) → int) of a fresh database of the suite's vendor."""
    if connection.vendor == "postgresql":
        import psycopg

        s = connection.settings_dict
        name = f"jingzhun_killtest_{os.getpid()}"
        params = {"user": s["USER"], "host": s["HOST"], "port": s["PORT"] or 5432, "password": s["PASSWORD"] or None}
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')

        def count(sql: str) -> int:
            with psycopg.connect(dbname=name, **params) as conn:
                return int(conn.execute(sql).fetchone()[0])

        try:
            yield f"postgres://{s['USER']}@{s['HOST']}:{params['port']}/{name}", count
        finally:
            with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        import sqlite3

        path = tmp_path / "ledger.sqlite3"

        def count(sql: str) -> int:
            with sqlite3.connect(path) as conn:
                return int(conn.execute(sql).fetchone()[0])

        yield f"sqlite:///{path}", count


def test_a_run_killed_mid_write_leaves_no_lines_and_no_run(database: tuple[str, Any], tmp_path: Path) -> None:
    url, count = database
    env = {**os.environ, "DATABASE_URL": url, "JINGZHUN_HOME": str(tmp_path)}
    # Four fresh interpreters: let them share compiled bytecode (outside the repository) instead of
    # each compiling Django and the project again when PYTHONDONTWRITEBYTECODE is set.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "jingzhun-test-pycache")
    for command in ([JINGZHUN, "migrate"], [sys.executable, "-m", "tests.ledger.seed_file_db", "30"]):
        subprocess.run(command, env=env, cwd=REPO, check=True, capture_output=True, timeout=300)

    paused = tmp_path / "paused"
    run = subprocess.Popen(
        [JINGZHUN, "run-month", "2020-06"], env={**env, PAUSE_ENV: str(paused)}, cwd=REPO,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not paused.exists():
        assert run.poll() is None, run.stderr.read().decode() if run.stderr else ""
        assert time.monotonic() < deadline, "the run never reached its first write"
        time.sleep(0.1)
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    assert run.returncode == -signal.SIGKILL

    assert count("SELECT count(*) FROM ledger_paymentline") == 0
    assert count("SELECT count(*) FROM ledger_monthrun") == 0
    assert count("SELECT count(*) FROM ledger_runsnapshot") == 0
    assert count("SELECT count(*) FROM core_auditevent WHERE action = 'run_month'") == 0

    again = subprocess.run(
        [JINGZHUN, "run-month", "2020-06"], env=env, cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 0, again.stderr
    assert "首次发放" in again.stdout
    assert count("SELECT count(*) FROM ledger_paymentline") == 90  # 30 households × 3 programmes
    assert count("SELECT count(*) FROM ledger_monthrun") == 1
