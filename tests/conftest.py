"""Suite-wide fixtures and the database-run selection.

The suite runs twice in CI: once on SQLite (everything) and once on PostgreSQL with
``JINGZHUN_DB_TESTS_ONLY=1``, which keeps only the tests that touch the database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The personas, their regions and the staff pages' households and logins: one place, tests/staff.py.
from tests.staff import login, personas, regions, staff_settings, world  # noqa: F401

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

DB_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("JINGZHUN_DB_TESTS_ONLY") != "1":
        return
    keep, drop = [], []
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        uses_db = item.get_closest_marker("django_db") is not None or bool(fixtures & DB_FIXTURES)
        (keep if uses_db else drop).append(item)
    items[:] = keep
    config.hook.pytest_deselected(items=drop)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"../shared not found beside the repository (looked in {SHARED})")
    return SHARED


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """In CI (CI=true) a skipped test is a failed test: database and browser tests must run."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which is not allowed: {report.longrepr}"


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> None:
    """PBKDF2's deliberate slowness is for production; tests create many logins."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _process_caches_cleared() -> None:
    """Process-level caches keyed by row ids (the 一码清 page's year, read once per ledger version = the
    highest line id) rely on ids never repeating, as in production's append-only ledger; a flushed test
    database hands the same ids out again, so each test starts with them empty."""
    from django.core.cache import caches

    from jingzhun.public import queries

    queries._years.clear()
    queries._years_version[0] = 0
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _seeded_regions(request: pytest.FixtureRequest) -> None:
    """Transactional tests (live server, Playwright) flush every table after they run, including the
    province, city and counties the migration seeded; put them back for whichever test comes next."""
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(set(request.fixturenames) & DB_FIXTURES)
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")
    from jingzhun.registry import regions_seed
    from jingzhun.registry.models import Region

    if not Region.objects.filter(code=regions_seed.CITY[0]).exists():
        regions_seed.seed(Region)


@pytest.fixture(autouse=True)
def _kept_rows_flushable(request: pytest.FixtureRequest) -> Iterator[None]:
    """SQLite empties the database after a transactional test with one DELETE per table, which the
    keep-as-written triggers (audit rows, QR tokens, background jobs: core/triggers.py) refuse: they are
    lifted after each test and put back before the next. (PostgreSQL empties it with TRUNCATE, which
    fires no row trigger.)"""
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(set(request.fixturenames) & DB_FIXTURES)
    if not uses_db:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    from django.db import connection

    from jingzhun.core import triggers

    sqlite = connection.vendor == "sqlite"
    if sqlite:
        triggers.add_all(connection)
        _ledger_triggers(connection, restore=True)
    yield
    if sqlite:
        triggers.drop_all(connection)
        _ledger_triggers(connection, restore=False)


_LEDGER_TRIGGERS: dict[str, str] = {}  # name → CREATE TRIGGER, read from the migrated SQLite database


def _ledger_triggers(connection: object, *, restore: bool) -> None:
    """The ledger's append-only triggers (ledger/triggers.py) likewise, so a browser test may run a month
    and still be flushed: lifted after each test, put back before the next."""
    with connection.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%append-only%'")
        present = dict(cursor.fetchall())
        _LEDGER_TRIGGERS.update(present)
        if restore:
            for name, sql in _LEDGER_TRIGGERS.items():
                if name not in present:
                    cursor.execute(sql)
        else:
            for name in present:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


CHROMIUM = "/usr/bin/chromium"
# Playwright's sync API runs an event loop in the test thread; Django's ORM in the same thread is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's chromium through Playwright (never `playwright install`), one per test session: the
    tests/e2e pages and any other test that renders in a browser share it."""
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-dev-shm-usage",
            ],
        )
        yield b
        b.close()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """SQLite test databases are in memory with a shared cache, where a reader holds a table lock that
    makes a writer in another thread fail at once ("database table is locked", no busy wait) — a
    background job's thread updating its row while the live server reads it for the progress page.
    ``read_uncommitted`` lets readers skip those locks (shared-cache only; file databases, as served,
    use WAL and the busy timeout instead)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        options = db.setdefault("OPTIONS", {})
        options["init_command"] = options.get("init_command", "") + " PRAGMA read_uncommitted=1;"


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One Spark session (local[2]) per test process: its JVM starts once for the month-run and the
    cross-check tests. ``pyspark`` comes from the ``spark`` dependency group (`make test` installs it)."""
    pytest.importorskip("pyspark")
    from jingzhun.scale.spark_month import session

    s = session("local[2]", app="jingzhun-tests")
    yield s
    s.stop()
