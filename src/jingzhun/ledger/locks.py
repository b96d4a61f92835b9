"""One month run at a time per month: a second run of the same month is refused, not queued.

The lock covers the whole month, whatever the scope, because a county run and a city run of the same
month overlap and would both pay the households they share.

* PostgreSQL: ``pg_try_advisory_xact_lock`` inside the run's transaction — released at commit,
  rollback, or when the connection dies with a killed process.
* SQLite: ``flock`` on a file beside the database, taken before the transaction opens — released
  by the kernel when the process exits, however it exits. (SQLite's own write lock would make the
  second run wait for ``busy_timeout`` and then fail with an English error; this refuses at once.)
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection


class RunInProgress(RuntimeError):
    """Another process is running this month now."""

    def __init__(self, month: dt.date) -> None:
        super().__init__(f"{month:%Y-%m} 的月度发放正在由另一个进程运行，请等其完成后再试。")


def advisory_key(month: dt.date) -> int:
    """The PostgreSQL advisory-lock key of a month."""
    digest = hashlib.sha256(f"jingzhun.ledger.run-month:{month:%Y-%m}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _lock_path(month: dt.date) -> Path:
    database = str(connection.settings_dict["NAME"])
    # An in-memory database lives in one process, and every process's has the same name (test
    # workers): key its lock by process too, or two unrelated databases would block each other.
    key = f"{database}:{os.getpid()}" if connection.is_in_memory_db() else os.path.abspath(database)
    tag = hashlib.sha256(key.encode()).hexdigest()[:16]
    directory = Path(settings.VAR_DIR) / "locks"
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"run-month-{tag}-{month:%Y%m}.lock"


@contextmanager
def month_file_lock(month: dt.date) -> Iterator[None]:
    """Taken around the transaction. A no-op on PostgreSQL (see :func:`take_month_lock`)."""
    if connection.vendor == "postgresql":
        yield
        return
    with open(_lock_path(month), "a+b") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunInProgress(month) from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def take_month_lock(month: dt.date) -> None:
    """Inside the run's transaction: on PostgreSQL take the advisory lock or refuse."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [advisory_key(month)])
        (taken,) = cursor.fetchone()
    if not taken:
        raise RunInProgress(month)
