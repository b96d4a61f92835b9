"""`make demo` ends by serving, and every page answers: driven as a user meets it.

The demo command runs in a subprocess on a free port exactly as typed (`jingzhun demo --households N
--port P`); each demo login signs in and opens the household list, five household pages, a 民生账本,
the month-run page and a public 一码清 page — each must answer 200 within 2 s. SIGTERM then stops the
server within 10 s. (Until this test, every demo test ran `--no-serve`, and the served demo hung on every
household page: Polars' thread pool started while building the data was inherited by gunicorn's forked
workers without its threads.)
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PAGE_SECONDS = 2.0
RUNS_ROLES = {"admin", "county", "auditor"}  # the month-run page is the county's (auditors read it)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Browser:
    """A cookie-keeping client that times every request (no redirects followed after login)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str, data: dict[str, str] | None = None) -> tuple[int, float, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + "/login/"})
        start = time.monotonic()
        try:
            with self.opener.open(request, timeout=10) as response:
                text = response.read().decode("utf-8", "replace")
                status = int(response.status)
        except urllib.error.HTTPError as err:
            text, status = err.read().decode("utf-8", "replace"), err.code
        return status, time.monotonic() - start, text

    def login(self, username: str, password: str) -> str:
        _, _, page = self.get("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, page[:500]
        status, _, home = self.get(
            "/login/", {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
        )
        assert status == 200 and "退出" in home, f"{username} could not log in: {home[:300]}"
        return home


@pytest.fixture(scope="module")
def served_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    home = tmp_path_factory.mktemp("demo")
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("JINGZHUN_")},
        "JINGZHUN_HOME": str(home),
        "DATABASE_URL": f"sqlite:///{home / 'demo.sqlite3'}",
    }
    log = (home / "demo.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jingzhun", "demo", "--households", "600", "--port", str(port)],
        cwd=home,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert proc.poll() is None, (home / "demo.log").read_text()[-3000:]
        try:
            with urllib.request.urlopen(base + "/login/", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        pytest.fail("the demo did not serve within 300 s:\n" + (home / "demo.log").read_text()[-3000:])
    try:
        yield proc, base, home
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        log.close()


def test_every_demo_login_opens_every_page_in_time(served_demo: tuple[subprocess.Popen[str], str, Path]) -> None:
    proc, base, home = served_demo
    logins = [line.split("\t") for line in (home / "var" / "demo-logins.txt").read_text().splitlines()[1:]]
    assert [row[0] for row in logins] == ["admin", "county", "township", "village", "cadre", "auditor"]
    slow: list[str] = []

    def timed(client: _Browser, path: str) -> str:
        status, seconds, body = client.get(path)
        assert status == 200, f"{path}: {status} {body[:300]}"
        if seconds >= PAGE_SECONDS:
            slow.append(f"{path} {seconds:.2f}s")
        return body

    for username, password, *_ in logins:
        client = _Browser(base)
        client.login(username, password)
        listing = timed(client, "/households/")
        ids = list(dict.fromkeys(re.findall(r'href="/households/(\d+)/"', listing)))[:5]
        # a 帮扶 cadre sees only the few households assigned to them
        assert len(ids) == 5 or (username == "cadre" and ids), f"{username}: households listed: {ids}"
        numbers = []
        for pk in ids:
            page = timed(client, f"/households/{pk}/")
            assert "应享待遇" in page
            numbers += re.findall(r"(?<!\d)(\d{16})(?!\d)", page)[:1]  # its 户编号
        assert len(numbers) == len(ids), f"{username}: a household page without its 户编号"
        assert "民生账本" in timed(client, f"/ledger/household/{numbers[0]}/")
        if username in RUNS_ROLES:
            timed(client, "/runs/")
    assert not slow, f"pages slower than {PAGE_SECONDS}s: {slow}"

    printed = re.findall(r"(http://127\.0\.0\.1:\d+/q/[A-Za-z0-9_-]+/)", (home / "demo.log").read_text())
    assert len(printed) == 2
    for url in printed:
        status, seconds, body = _Browser(base).get(url.split(str(base.rsplit(":", 1)[1]), 1)[1])
        assert status == 200 and seconds < PAGE_SECONDS and "一码清" in body
    # the household page (printed second) names its publisher and the 监督举报电话 the demo sets
    assert "离石区民政局" in body and 'href="tel:12345"' in body, body[-2000:]
    assert proc.poll() is None  # still serving after all of it


def test_sigterm_stops_the_demo_server(served_demo: tuple[subprocess.Popen[str], str, Path]) -> None:
    proc, base, home = served_demo
    assert proc.poll() is None
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=10)
    with pytest.raises(OSError):
        urllib.request.urlopen(base + "/login/", timeout=2)
    log = (home / "demo.log").read_text()
    socket_dir = re.search(r"Control socket listening at (\S+)/gunicorn\.ctl", log)
    assert socket_dir, log[-1500:]  # its own control socket, not the shared ~/.gunicorn one
    assert not Path(socket_dir.group(1)).exists()  # and removed on exit
    assert "Traceback" not in log, log[-3000:]  # a clean stop (a worker's exit once tore the socket dir away)
