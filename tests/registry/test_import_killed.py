"""An import whose worker is killed mid-write leaves nothing, shows 失败 at once, and a retry succeeds.

The import job's task runs in a process of its own (tests/killable.py) on a database of its own, pauses
inside its one transaction after the first households are written, and is SIGKILLed there — as when the
server is killed or restarted during an import.
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

from .conftest import member, row, write_csv

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]
JINGZHUN = str(Path(sys.executable).parent / "jingzhun")


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[str, Callable[[str], int]]]:
    with separate_database(tmp_path, connection) as db:
        yield db


def test_an_import_killed_mid_write_leaves_nothing_shows_failed_and_a_retry_succeeds(
    database: tuple[str, Callable[[str], int]], tmp_path: Path
) -> None:
    url, count = database
    env = environment(url, tmp_path)

    def run(*command: str) -> str:
        done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    run(JINGZHUN, "migrate")
    source = write_csv(tmp_path / "信义村.csv", [r for i in range(1, 41) for r in (row(f"H{i}"), member(f"H{i}"))])
    job = run(*python("import-job", str(source))).strip()
    uploads = tmp_path / "var" / "uploads"
    assert len(list(uploads.iterdir())) == 1

    flag = tmp_path / "paused"
    kill_when_paused(python("run", job, "--pause", str(flag)), env, REPO, flag)

    assert count("SELECT count(*) FROM registry_household") == 0
    assert count("SELECT count(*) FROM registry_person") == 0
    assert count("SELECT count(*) FROM core_auditevent WHERE action = 'registry.import'") == 0
    status = json.loads(run(*python("status", job)))
    assert status["status"] == "failed" and status["status_label"] == "失败"
    assert status["result"]["error"].startswith("处理该任务的进程已中断")
    assert list(uploads.iterdir()) == []  # the killed job's upload is gone with it

    retry = run(*python("import-job", str(source))).strip()
    run(*python("run", retry))
    status = json.loads(run(*python("status", retry)))
    assert status["status"] == "done" and status["result"]["written"], status
    assert count("SELECT count(*) FROM registry_household") == 40
    assert count("SELECT count(*) FROM registry_person") == 80
    assert list(uploads.iterdir()) == []
