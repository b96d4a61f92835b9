"""Per-address rate limit for the public pages, shared by every worker process on the machine.

``settings.PUBLIC_RATE_LIMIT`` is the number of requests one client address may make per minute
(default 60; 0 turns the limit off), counted in fixed one-minute windows. The counts live in a small
SQLite file (``settings.PUBLIC_RATE_LIMIT_DB``, default ``var/public-ratelimit.sqlite3``) that all
gunicorn workers open, so 2 workers allow 60 a minute, not 2 × 60. One request is one autocommitted
``INSERT … ON CONFLICT DO UPDATE … RETURNING`` (WAL, no fsync: a count lost in a crash does not
matter), a few tens of microseconds (``bench/bench_public.py --in-process`` prints it). Old windows
are deleted by the first request of each new window in each process. If the file cannot be written
(read-only disk, lock held too long), the process counts on its own in Django's local cache and
logs a warning: the pages stay up, and the limit is then per process.

The client is ``REMOTE_ADDR`` unless that is a trusted proxy (``settings.PUBLIC_TRUSTED_PROXIES``,
env ``JINGZHUN_TRUSTED_PROXIES``: addresses or networks, default ``127.0.0.1,::1``; an empty
``REMOTE_ADDR`` — a Unix socket — counts as trusted too). Then the client is the right-most
``X-Forwarded-For`` entry that is not itself a trusted proxy: the entry the proxy appended, which a
client cannot forge (entries to its left can be). ``jingzhun serve`` listens on 127.0.0.1 only, so the
public reaches it through a proxy on the same machine (nginx: ``proxy_set_header X-Forwarded-For
$proxy_add_x_forwarded_for;``), and without this every family scanning a door would share one
allowance. A request from a trusted address with no usable header counts as that address.

IPv6 clients are counted by their /64 (``client_key``): one household's phone or one ISP customer gets a
whole /64 and can pick any address in it, so counting single addresses would give it 2⁶⁴ allowances.
IPv4 addresses (and IPv4-mapped IPv6 ones) count one by one. Both live in ``core.client``; the login
throttle (``core.login``) counts clients the same way.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from jingzhun.core.client import client_address, client_key, trusted_proxies

__all__ = ["client_address", "client_key", "rate_limited", "too_many", "trusted_proxies"]

DEFAULT_LIMIT = 60
WINDOW = 60
# Every public response carries these (pages, the one 404, the 429): no indexing, no referrer to
# whatever a family taps next, no framing, and Chinese whatever the browser asks for.
PAGE_HEADERS = {
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Language": "zh-hans",
}
log = logging.getLogger(__name__)


def limit() -> int:
    return int(getattr(settings, "PUBLIC_RATE_LIMIT", DEFAULT_LIMIT))


def current_window() -> int:
    return int(time.time() // WINDOW)


class SharedCounter:
    """Hit counts per (address, window) in one SQLite file; each thread of each process has its own
    connection. Independent of Django, so any process can open the same file."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=1.0, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS hits (addr TEXT NOT NULL, win INTEGER NOT NULL, n INTEGER NOT NULL,"
                " PRIMARY KEY (addr, win)) WITHOUT ROWID"
            )
            self._local.conn, self._local.pid, self._local.pruned = conn, os.getpid(), None
        return conn

    def hit(self, addr: str, window: int) -> int:
        """Count one request of ``addr`` in ``window``; the count so far, this one included."""
        conn = self._connection()
        if self._local.pruned != window:
            conn.execute("DELETE FROM hits WHERE win < ?", (window - 1,))
            self._local.pruned = window
        row = conn.execute(
            "INSERT INTO hits (addr, win, n) VALUES (?, ?, 1) ON CONFLICT (addr, win) DO UPDATE SET n = n + 1"
            " RETURNING n",
            (addr, window),
        ).fetchone()
        return int(row[0])

    def clear(self) -> None:
        self._connection().execute("DELETE FROM hits")


_counters: dict[str, SharedCounter] = {}
_lock = threading.Lock()


def counter() -> SharedCounter:
    """The shared counter of ``settings.PUBLIC_RATE_LIMIT_DB`` (one object per path and process)."""
    path = str(getattr(settings, "PUBLIC_RATE_LIMIT_DB", Path(settings.BASE_DIR) / "var" / "public-ratelimit.sqlite3"))
    found = _counters.get(path)
    if found is None:
        with _lock:
            found = _counters.setdefault(path, SharedCounter(path))
    return found


def _count_locally(addr: str, window: int) -> int:
    key = f"public-rl:{addr}:{window}"
    cache.add(key, 0, timeout=WINDOW * 2)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW * 2)
        return 1


def too_many(request: HttpRequest) -> bool:
    """Count this request; True when the client has used up its requests for the current minute."""
    allowed = limit()
    if allowed <= 0:
        return False
    addr, window = client_key(client_address(request)), current_window()
    try:
        count = counter().hit(addr, window)
    except sqlite3.Error as e:
        log.warning("一码清限流计数文件不可用（%s），本进程单独计数", e)
        count = _count_locally(addr, window)
    return count > allowed


_BODY: dict[str, bytes] = {}


def _limited_body() -> bytes:
    """The 429 page, rendered once per process: a client over its limit costs no template work."""
    body = _BODY.get("429")
    if body is None:
        with translation.override(settings.LANGUAGE_CODE):
            body = _BODY["429"] = render_to_string("public/rate_limited.html", {"window": WINDOW}).encode()
    return body


def rate_limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if too_many(request):
            response = HttpResponse(_limited_body(), status=429)
            response["Retry-After"] = str(WINDOW)
            response["Cache-Control"] = "no-store"
            for name, value in PAGE_HEADERS.items():
                response[name] = value
            return response
        return view(request, *args, **kwargs)

    return wrapper
