"""Start a background job, report its progress, record its outcome — whichever process runs it.

``start`` enqueues the task (``django.tasks``; the configured backend is the database one). Nothing
else in the project runs ``db_worker``, so unless ``JINGZHUN_INLINE_TASK_WORKER`` is set to false (a
deployment that runs ``manage.py db_worker`` itself) a daemon thread of the web process works through
the queue once, then exits. Tests configure the ImmediateBackend, which runs the task inside the request.

Progress is written to :class:`BackgroundJob` outside any transaction only: inside the import's or the
run's single transaction an update would be invisible to the polling page until the end anyway.

A worker that dies (server restart, killed process) leaves its job "running" for ever: nothing else will
finish it. :func:`sweep_stale` marks a running job whose progress has not moved for
``JINGZHUN_STALE_JOB_MINUTES`` (default 30) as failed; the pages call it when they show jobs. The default
is far above the longest single transaction (a 100 000-household import writes in well under a minute),
during which a live job reports nothing. Should a swept job's worker still finish, its outcome replaces
the failure.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection, connections, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from jingzhun.dashboard.models import BackgroundJob, JobStatus

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
_worker_lock = threading.Lock()
STALE_JOB_MINUTES = 30  # default of settings.JINGZHUN_STALE_JOB_MINUTES


class JobRefused(Exception):
    """An expected refusal (permission, month locked, module missing): a Chinese message, no traceback."""


def start(task: Any, job: BackgroundJob) -> None:
    """Enqueue ``task(job.pk)`` and make sure something will run it."""
    result = task.enqueue(job.pk)
    BackgroundJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    from django_tasks_db.backend import DatabaseBackend

    inline = getattr(settings, "JINGZHUN_INLINE_TASK_WORKER", True)
    if inline and isinstance(task.get_backend(), DatabaseBackend):
        threading.Thread(target=run_queued_tasks, name="jingzhun-inline-worker", daemon=True).start()


def run_queued_tasks() -> None:
    """Run every queued task of the default database backend, then return (``db_worker --batch``)."""
    from django_tasks_db.management.commands.db_worker import Worker

    with _worker_lock:
        try:
            Worker(
                queue_names=["*"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=f"inline-{threading.get_ident()}",
                excluded_queue_names=[],
            ).run()
        finally:
            connections.close_all()


def reporter(job_id: int) -> Progress:
    """``progress(stage, done, total)`` that writes at most twice a second, never inside a transaction."""
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if connection.in_atomic_block or (now - last[0] < 0.5 and done < total):
            return
        last[0] = now
        BackgroundJob.objects.filter(pk=job_id).update(
            stage=stage[:100], done=max(done, 0), total=max(total, 0), progress_at=timezone.now()
        )

    return progress


def run_job(job_id: int, work: Callable[[BackgroundJob, Progress], dict[str, Any]]) -> dict[str, Any]:
    """Run ``work`` for the job and record its outcome; refusals are recorded, other errors re-raised."""
    job = BackgroundJob.objects.select_related("owner").get(pk=job_id)
    BackgroundJob.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, stage="开始", progress_at=timezone.now())
    try:
        result = work(job, reporter(job_id))
    except (JobRefused, PermissionDenied) as exc:
        _finish(job_id, JobStatus.FAILED, {"error": str(exc) or "无权执行该操作。"})
        return {"error": str(exc)}
    except Exception as exc:
        log.exception("background job %s failed", job_id)
        _finish(job_id, JobStatus.FAILED, {"error": f"内部错误（{type(exc).__name__}），请联系管理员。"})
        raise
    _finish(job_id, JobStatus.DONE, result)
    return {"job": job_id}


def _finish(job_id: int, status: str, result: dict[str, Any]) -> None:
    BackgroundJob.objects.filter(pk=job_id).update(
        status=status, result=result, finished_at=timezone.now(), stage="完成" if status == JobStatus.DONE else "失败"
    )


def stale_minutes() -> int:
    return int(getattr(settings, "JINGZHUN_STALE_JOB_MINUTES", STALE_JOB_MINUTES))


def sweep_stale(jobs: QuerySet[BackgroundJob]) -> int:
    """Mark the running jobs among ``jobs`` whose progress has not moved for too long as failed; return how many.

    One conditional UPDATE: a job that finishes at the same moment is either already done (not matched)
    or records its outcome afterwards (over the failure).
    """
    minutes = stale_minutes()
    now = timezone.now()
    cutoff = now - dt.timedelta(minutes=minutes)
    stale = jobs.filter(status=JobStatus.RUNNING).filter(
        Q(progress_at__lt=cutoff) | Q(progress_at__isnull=True, created_at__lt=cutoff)
    )
    message = (
        f"后台任务已超过 {minutes} 分钟没有进展，处理进程可能已中断（如服务器重启），已标记为失败。"
        "导入和月度发放都是全部完成或全部不写，不会留下半截数据；请重新提交。"
    )
    if not stale.exists():  # the usual case: a read only, no write competing with a job's own progress
        return 0
    try:
        with transaction.atomic():
            count = stale.update(status=JobStatus.FAILED, stage="失败", finished_at=now, result={"error": message})
    except OperationalError:  # the table is busy being written (SQLite): someone is alive; next view retries
        return 0
    if count:
        log.warning("marked %d background job(s) without progress for %d minutes as failed", count, minutes)
    return count


def status_json(job: BackgroundJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "stage": job.stage,
        "percent": job.percent,
        "finished": job.finished,
    }
