"""The web server killed during an import and during a month run: nothing partial, 失败 at once, retry works.

The real server — ``jingzhun serve``, gunicorn on a free port, its own database and JINGZHUN_HOME — is
started through tests/killable.py, which installs a pause inside the import's and the month run's one
transaction before gunicorn forks its workers (production code has no such switch). The test starts the
work from the staff pages over HTTP, waits for the pause, SIGKILLs the whole server (master and workers),
checks that nothing was written and that the job's page says 失败, then starts the server again without
the pause and does the same work to the end.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.killable import environment, python, separate_database
from tests.registry.conftest import member, row, write_csv

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[1]
JINGZHUN = str(Path(sys.executable).parent / "jingzhun")
Count = Callable[[str], int]


class Staff:
    """One signed-in member of staff talking to the server (session cookie, CSRF token)."""

    def __init__(self, port: int, session: str) -> None:
        self.port, self.cookies = port, {"sessionid": session}

    def request(self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> Any:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers={"Cookie": cookie, **(headers or {})})
        response = conn.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";")[0].split("=", 1)
            self.cookies[name] = value
        response.text = response.read().decode()
        return response

    def post(self, path: str, fields: dict[str, str], file: tuple[str, bytes] | None = None) -> str:
        """POST the form at ``path`` (with its CSRF token); the address it redirects to."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.request("GET", path).text)
        assert token, "no form on the page"
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in {"csrfmiddlewaretoken": token[1], **fields}.items()
        ]
        if file:
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file[0]}"\r\n\r\n'
            parts.append(head.encode() + file[1] + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": f"http://127.0.0.1:{self.port}{path}",
        }
        response = self.request("POST", path, body, headers)
        assert response.status == 302, response.text[-2000:]
        return str(response.getheader("Location"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, env: dict[str, str], pause: Path | None = None) -> None:
        self.port = free_port()
        paused = ["--pause", str(pause)] if pause else []
        command = python("cli", *paused, "serve", "--port", str(self.port), "--workers", "2")
        self.process = subprocess.Popen(
            command, env=env, cwd=REPO, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/login/")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            assert self.process.poll() is None, self.process.stderr.read().decode() if self.process.stderr else ""
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.3)

    def stop(self, sig: int) -> None:
        os.killpg(self.process.pid, sig)
        self.process.wait(timeout=30)


@pytest.fixture
def server_env(tmp_path: Path) -> Iterator[tuple[dict[str, str], Count]]:
    with separate_database(tmp_path, connection) as (url, count):
        env = environment(url, tmp_path)
        env["JINGZHUN_STALE_JOB_MINUTES"] = "30"  # failed at once must not come from the stale sweep
        for command in ([JINGZHUN, "migrate"], [sys.executable, "-m", "tests.ledger.seed_file_db", "30"]):
            subprocess.run(command, env=env, cwd=REPO, check=True, capture_output=True, timeout=300)
        yield env, count


def session(env: dict[str, str], username: str) -> str:
    done = subprocess.run(python("session", username), env=env, cwd=REPO, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def wait_for(flag: Path, server: Server) -> None:
    deadline = time.monotonic() + 180
    while not flag.exists():
        assert server.process.poll() is None, "the server died by itself"
        assert time.monotonic() < deadline, "the work never reached its first write"
        time.sleep(0.1)


def finished(staff: Staff, status_path: str) -> dict[str, Any]:
    deadline = time.monotonic() + 180
    while True:
        status: dict[str, Any] = json.loads(staff.request("GET", status_path).text)
        if status["finished"]:
            return status
        assert time.monotonic() < deadline, status
        time.sleep(0.3)


def start_import(staff: Staff, source: Path) -> str:
    return staff.post("/households/import/", {}, (source.name, source.read_bytes()))


def start_month_run(staff: Staff, _source: Path) -> str:
    return staff.post("/runs/", {"month": "2020-06", "county": "141102", "action": "run"})


WORK = {
    # who, how the work is started, what it writes and how many rows
    "import": ("victor", start_import, "SELECT count(*) FROM registry_person", 80),
    "month run": ("alice", start_month_run, "SELECT count(*) FROM ledger_paymentline", 90),
}


@pytest.mark.parametrize("work", WORK)
def test_the_server_killed_mid_write_leaves_nothing_and_the_retry_succeeds(
    server_env: tuple[dict[str, str], Count], tmp_path: Path, work: str
) -> None:
    env, count = server_env
    username, start, counted, added = WORK[work]
    source = write_csv(tmp_path / "信义村.csv", [r for i in range(1, 41) for r in (row(f"K{i}"), member(f"K{i}"))])
    before = count(counted)
    flag = tmp_path / "paused"
    server = Server(env, pause=flag)
    try:
        staff = Staff(server.port, session(env, username))
        job_page = start(staff, source)
        wait_for(flag, server)
    finally:
        server.stop(signal.SIGKILL)

    assert count(counted) == before
    assert count("SELECT count(*) FROM core_auditevent WHERE action IN ('registry.import', 'run_month')") == 0
    server = Server(env)
    try:
        staff = Staff(server.port, session(env, username))
        status = json.loads(staff.request("GET", f"{job_page}status/").text)
        assert status["status"] == "failed" and status["status_label"] == "失败", status
        assert "处理该任务的进程已中断" in staff.request("GET", job_page).text
        assert not list((tmp_path / "var" / "uploads").glob("*"))
        retry = start(staff, source)
        assert finished(staff, f"{retry}status/")["status"] == "done"
    finally:
        server.stop(signal.SIGTERM)
    assert count(counted) == before + added
