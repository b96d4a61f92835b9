"""The 一张图 counts refreshed off the request path: a background task (``django.tasks``, the database
backend) instead of work inside a page view.

* After the writes that matter: every other background job that finishes — the month run, the registry
  and 数据比对 imports, the 返贫预警 run — queues a refresh (:func:`after_task`, connected to
  ``django_tasks.signals.task_finished`` in ``DashboardConfig.ready``).
* On a page: the 工作台, the dashboard and the map only compare the counts' signature with the
  register's (six index reads, ``counts.stale``) and, when it moved, queue a refresh and read the
  counts as they are; the page says when they were built (``统计截至``, :func:`as_of`). The one
  exception is the very first build of a database that has none (no ``CountsStamp``): that page builds
  them, once, rather than show zeros.
* Periodically and by hand: ``jingzhun dashboard refresh`` (cron; README), the same job run in the
  command's own process.

At most one refresh waits in the queue at a time. In the web process the queue is worked through as a
month run's is (``core.jobs.work_queue``: a worker thread, or the page's own thread beside an in-memory
SQLite database), unless ``JINGZHUN_INLINE_TASK_WORKER`` is false and a ``db_worker`` runs. Tests
configure the ImmediateBackend, which runs the task at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.utils import timezone
from django_tasks import task

from jingzhun.core import jobs
from jingzhun.core.actions import Actor

log = logging.getLogger(__name__)


@task()
def refresh_counts() -> dict[str, Any]:
    from jingzhun.dashboard.counts import refresh

    done = refresh(Actor.system("dashboard"))
    return {"villages": done.villages, "months": [f"{m:%Y-%m}" for m in done.months], "full": done.full}


def _database_backend() -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(refresh_counts.get_backend(), DatabaseBackend)


def waiting() -> bool:
    """A refresh is queued and not yet started (database backend only)."""
    if not _database_backend():
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().filter(task_path=refresh_counts.module_path).exists()


def schedule() -> bool:
    """Queue a refresh unless one is waiting; True when one is now queued or waiting. Never raises: the
    page shows the counts as of their last build either way."""
    try:
        if waiting():
            return True
        refresh_counts.enqueue()
    except Exception:
        log.exception("the dashboard counts refresh could not be queued")
        return False
    # beside an in-memory SQLite database (the browser tests) the queue is worked through right here: done
    return not jobs.work_queue(refresh_counts)


def refresh_if_stale() -> bool:
    """What a page does instead of refreshing: when the register moved since the counts were built, queue
    a refresh and return True (the page then says the counts are being updated)."""
    from jingzhun.dashboard.counts import refresh, stale
    from jingzhun.dashboard.models import CountsStamp

    if not CountsStamp.objects.filter(pk=1).exists():
        # Never built (a fresh install, a restored copy without the derived tables): build once here, so
        # no page ever shows empty counts; every later change is refreshed in the background.
        refresh(Actor.system("dashboard"))
        return False
    if not stale():
        return False
    return schedule()


def after_task(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """``task_finished`` receiver: another job finished (a month run, an import …) — refresh the counts."""
    if task_result.task.module_path != refresh_counts.module_path:
        schedule()


def as_of() -> dt.datetime | None:
    """When the counts were last built, in the site's time zone (北京时间); None before the first build."""
    from jingzhun.dashboard.models import CountsStamp

    stamp = CountsStamp.objects.filter(pk=1).only("refreshed_at").first()
    return timezone.localtime(stamp.refreshed_at) if stamp is not None else None
