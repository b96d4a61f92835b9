"""A month run killed mid-write leaves nothing behind, its job shows 失败, and the next run succeeds.

A real `jingzhun run-month` command, or the month-run job's task, runs in a process of its own
(tests/killable.py) on its own database (a SQLite file, or a dedicated PostgreSQL database when the suite
runs on PostgreSQL), pauses after writing its first lines inside the open transaction — a pause the test
process installs, production code has none — and is SIGKILLed there.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from tests.killable import environment, kill_when_paused, python, separate_database

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]
JINGZHUN = str(Path(sys.executable).parent / "jingzhun")
Count = Callable[[str], int]


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[str, Count]]:
    with separate_database(tmp_path, connection) as db:
        yield db


@pytest.fixture
def seeded(database: tuple[str, Count], tmp_path: Path) -> tuple[dict[str, str], Count]:
    """30 elderly 低保 households on the separate database; (environment, count)."""
    url, count = database
    env = environment(url, tmp_path)
    for command in ([JINGZHUN, "migrate"], [sys.executable, "-m", "tests.ledger.seed_file_db", "30"]):
        subprocess.run(command, env=env, cwd=REPO, check=True, capture_output=True, timeout=300)
    return env, count


def assert_nothing_written(count: Count) -> None:
    assert count("SELECT count(*) FROM ledger_paymentline") == 0
    assert count("SELECT count(*) FROM ledger_monthrun") == 0
    assert count("SELECT count(*) FROM ledger_runsnapshot") == 0
    assert count("SELECT count(*) FROM core_auditevent WHERE action = 'run_month'") == 0


def test_a_run_killed_mid_write_leaves_no_lines_and_no_run(
    seeded: tuple[dict[str, str], Count], tmp_path: Path
) -> None:
    env, count = seeded
    paused = tmp_path / "paused"
    kill_when_paused(python("cli", "--pause", str(paused), "run-month", "2020-06"), env, REPO, paused)
    assert_nothing_written(count)

    again = subprocess.run(
        [JINGZHUN, "run-month", "2020-06"], env=env, cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 0, again.stderr
    assert "首次发放" in again.stdout
    assert count("SELECT count(*) FROM ledger_paymentline") == 90  # 30 households × 3 programs
    assert count("SELECT count(*) FROM ledger_monthrun") == 1


def test_a_month_job_killed_mid_write_shows_failed_at_once_and_a_retry_succeeds(
    seeded: tuple[dict[str, str], Count], tmp_path: Path
) -> None:
    env, count = seeded

    def run(*command: str) -> str:
        done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    job = run(*python("month-job", "2020-06")).strip()
    paused = tmp_path / "paused"
    kill_when_paused(python("run", job, "--pause", str(paused)), env, REPO, paused)
    assert_nothing_written(count)
    status = json.loads(run(*python("status", job)))
    assert status["status"] == "failed" and status["status_label"] == "失败"
    assert status["result"]["error"].startswith("处理该任务的进程已中断")

    retry = run(*python("month-job", "2020-06")).strip()
    run(*python("run", retry))
    status = json.loads(run(*python("status", retry)))
    assert status["status"] == "done", status
    assert count("SELECT count(*) FROM ledger_paymentline") == 90
    assert count("SELECT count(*) FROM ledger_monthrun") == 1
