"""Starting a background job is a write like any other: one audit row, in the same transaction as the job."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jingzhun.core.models import AuditEvent, BackgroundJob
from tests.ledger.test_run_views import preview
from tests.registry.importfiles import clean_rows, write_csv
from tests.registry.test_views_import import upload

pytestmark = pytest.mark.django_db


def test_a_month_preview_leaves_an_audit_row_naming_the_job(login: Any, world: Any) -> None:
    preview(login("alice"))
    job = BackgroundJob.objects.get()
    event = AuditEvent.objects.get(action="core.create_job")
    assert (event.actor_label, event.object_id) == ("alice", str(job.pk))
    assert event.after == {"kind": "month_preview", "params": {"month": "2020-06"}}


def test_an_import_leaves_an_audit_row_without_the_servers_file_path(
    login: Any, regions: Any, personas: Any, tmp_path: Path
) -> None:
    upload(login("victor"), write_csv(tmp_path / "信义村.csv", clean_rows()))
    event = AuditEvent.objects.get(action="core.create_job")
    assert event.after["kind"] == "import" and event.after["params"]["name"] == "信义村.csv"
    assert "path" not in event.after["params"]


def _month_preview_threads(login: Any, settings: Any, monkeypatch: Any) -> tuple[list[str], list[Any]]:
    """Preview a month with the database backend as the server runs it; return the names of the threads
    in which each task started and the worker threads started."""
    import threading

    from django_tasks.signals import task_started

    from jingzhun.core import jobs

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.JINGZHUN_INLINE_TASK_WORKER = True
    started_in: list[str] = []
    workers: list[Any] = []

    def record(sender: Any, **kwargs: Any) -> None:
        started_in.append(threading.current_thread().name)

    class Recorded(threading.Thread):
        def start(self) -> None:
            workers.append(self)
            super().start()

    monkeypatch.setattr(jobs.threading, "Thread", Recorded)
    task_started.connect(record, dispatch_uid="test_jobs.record")
    try:
        # the POST alone, not the page it redirects to: beside the in-memory SQLite of the SQLite run, a GET
        # while a worker thread writes is the "database table is locked" race this mechanism exists to avoid
        response = login("alice").post("/runs/", {"month": "2020-06", "action": "preview"})
        assert response.status_code == 302, response
        while any(w.is_alive() for w in workers):  # a finished job queues the 一张图 refresh: its worker too
            for w in list(workers):
                w.join(timeout=30)
    finally:
        task_started.disconnect(dispatch_uid="test_jobs.record")
    return started_in, workers


@pytest.mark.django_db(transaction=True)
def test_beside_an_in_memory_database_a_queued_job_runs_in_the_callers_thread(
    login: Any, world: Any, settings: Any, monkeypatch: Any
) -> None:
    """The browser tests' live server (in-memory SQLite, one shared cache): a worker thread writing beside a
    page's transaction failed with "database table is locked"; the request's own thread runs the queue."""
    import threading

    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from jingzhun.core import jobs

    assert jobs.in_memory_database() == (connection.vendor == "sqlite")  # the test settings' SQLite is in memory
    monkeypatch.setattr(jobs, "in_memory_database", lambda: True)  # on PostgreSQL too
    started_in, workers = _month_preview_threads(login, settings, monkeypatch)
    me = threading.current_thread().name
    assert started_in == [me, me] and workers == []  # the preview, then the 一张图 refresh it queued
    assert BackgroundJob.objects.get().status == "done"
    assert not DBTaskResult.objects.ready().exists()


@pytest.mark.django_db(transaction=True)
def test_beside_a_real_database_a_queued_job_runs_in_a_worker_thread(
    login: Any, world: Any, settings: Any, monkeypatch: Any
) -> None:
    import threading

    from django.db import connection

    from jingzhun.core import jobs

    if connection.vendor == "sqlite":  # the test database is in memory: a worker beside it is the race it avoids
        assert jobs.in_memory_database()
        return
    monkeypatch.setattr(jobs, "in_memory_database", lambda: False)
    started_in, workers = _month_preview_threads(login, settings, monkeypatch)
    assert workers and started_in and threading.current_thread().name not in started_in
    assert set(started_in) == {"jingzhun-inline-worker"}
    assert BackgroundJob.objects.get().status == "done"
