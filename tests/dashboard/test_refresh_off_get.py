"""The 一张图 counts are refreshed off the request path: a page that finds them stale only queues the
background refresh (once) and reads them as last built, saying when (统计截至, 北京时间); the refresh runs
after the other background jobs (an import) without any page being opened."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.dashboard.conftest import add_activity


def queued() -> int:
    from django_tasks_db.models import DBTaskResult

    from jingzhun.dashboard.tasks import refresh_counts

    return DBTaskResult.objects.ready().filter(task_path=refresh_counts.module_path).count()


@pytest.mark.django_db(transaction=True)
def test_a_page_view_queues_the_refresh_and_never_runs_it(login: Any, world: dict[str, Any], settings: Any) -> None:
    from jingzhun.core.jobs import run_queued_tasks
    from jingzhun.core.models import AuditEvent
    from jingzhun.dashboard.models import VillageCounts
    from tests.staff import make_household

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.JINGZHUN_INLINE_TASK_WORKER = False  # a deployment's own db_worker: here, the test runs the queue
    add_activity(world)
    alice = login("alice")
    first = alice.get("/dashboard/").content.decode()  # a database never counted: built once, right here
    assert "统计截至" in first and "此后没有变动" in first and queued() == 0
    assert sum(VillageCounts.objects.values_list("households", flat=True)) == 5

    make_household(world["own"].village, "1411020010010009", "周建华")
    page = alice.get("/dashboard/").content.decode()
    assert "正在后台更新" in page and queued() == 1
    assert sum(VillageCounts.objects.values_list("households", flat=True)) == 5  # as last built
    home = alice.get("/").content.decode()
    assert "正在后台更新" in home and queued() == 1  # the 工作台 too; one refresh waits, not two
    assert AuditEvent.objects.filter(action="dashboard.refresh").count() == 1

    run_queued_tasks()
    assert queued() == 0 and AuditEvent.objects.filter(action="dashboard.refresh").count() == 2
    built = alice.get("/dashboard/").content.decode()
    assert "此后没有变动" in built and queued() == 0
    assert sum(VillageCounts.objects.values_list("households", flat=True)) == 6


@pytest.mark.django_db
def test_the_page_says_when_the_counts_were_built_in_beijing_time(login: Any, world: dict[str, Any]) -> None:
    from jingzhun.dashboard.counts import refresh
    from jingzhun.dashboard.models import CountsStamp

    refresh()
    CountsStamp.objects.update(refreshed_at=dt.datetime(2020, 6, 30, 16, 5, tzinfo=dt.UTC))
    for url in ("/dashboard/", "/dashboard/map/", "/"):
        html = login("alice").get(url).content.decode()
        assert "统计截至 2020-07-01 00:05（北京时间），此后没有变动" in html, url


@pytest.mark.django_db
def test_counts_are_fresh_after_an_import_without_opening_a_page(
    login: Any, regions: Any, personas: Any, tmp_path: Path, staff_settings: None
) -> None:
    from jingzhun.dashboard.counts import stale
    from jingzhun.dashboard.models import VillageCounts
    from tests.registry.importfiles import clean_rows, write_csv
    from tests.registry.test_views_import import upload

    page = upload(login("victor"), write_csv(tmp_path / "信义村.csv", clean_rows())).content.decode()
    assert "导入成功" in page
    assert not stale()
    assert sum(VillageCounts.objects.values_list("households", flat=True)) == 2


@pytest.mark.django_db(transaction=True)
def test_an_in_memory_database_builds_the_counts_in_the_page_thread(
    login: Any, world: dict[str, Any], settings: Any, monkeypatch: Any
) -> None:
    """The browser tests' live server runs on an in-memory SQLite database, one shared cache in which a
    second thread writing the counts beside a page's transaction fails at once ("database table is locked",
    no busy wait): there the page's own thread runs the queued refresh (core.jobs.work_queue) and nothing
    is left waiting."""
    from jingzhun.core import jobs
    from jingzhun.dashboard.models import VillageCounts
    from tests.staff import make_household

    monkeypatch.setattr(jobs, "in_memory_database", lambda: True)  # on PostgreSQL too
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.JINGZHUN_INLINE_TASK_WORKER = True
    add_activity(world)
    alice = login("alice")
    alice.get("/dashboard/")
    make_household(world["own"].village, "1411020010010009", "周建华")
    page = alice.get("/dashboard/").content.decode()
    assert "正在后台更新" not in page and queued() == 0
    assert sum(VillageCounts.objects.values_list("households", flat=True)) == 6
