"""Start a background job, report its progress, record its outcome — whichever process runs it.

``start`` enqueues the task (``django.tasks``; the configured backend is the database one). Nothing
else in the project runs ``db_worker``, so unless ``JINGZHUN_INLINE_TASK_WORKER`` is set to false (a
deployment that runs ``manage.py db_worker`` itself) :func:`work_queue` has a daemon thread of the web
process work through the queue once, then exit — except beside an in-memory SQLite database (the browser
tests' live server), where the caller's own thread works through it: that database is one shared cache in
which a second thread writing beside a request's transaction fails at once with "database table is locked"
(no busy wait, unlike a file database). Every queued task goes through :func:`work_queue` (the month run,
the imports, the 返贫预警 and 数据比对 runs, the 一张图 counts). Tests configure the ImmediateBackend,
which runs the task inside the request.

Progress is written to :class:`BackgroundJob` outside any transaction only: inside the import's or the
run's single transaction an update would be invisible to the polling page until the end anyway.

A worker that dies (server restart, killed process) leaves its job "running" for ever: nothing else will
finish it. :func:`sweep_stale`, which the pages call when they show jobs, marks it failed: at once when
the job ran on this machine and its process is gone (a running job records its worker's host, process id
and start time in ``result`` until it finishes), otherwise once its progress has not moved for
``JINGZHUN_STALE_JOB_MINUTES`` (default 30). That default is far above the longest single transaction (a
100 000-household import writes in well under a minute), during which a live job reports nothing. Should
a swept job's worker still finish, its outcome replaces the failure. A job that fails, however it fails,
leaves no upload behind: ``params["path"]`` (an uploaded file only the job reads) is deleted.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from jingzhun.core.models import BackgroundJob, JobStatus

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
_worker_lock = threading.Lock()
_working_here = threading.local()  # .yes while this thread runs the queue (run_queued_tasks)
STALE_JOB_MINUTES = 30  # default of settings.JINGZHUN_STALE_JOB_MINUTES


class JobRefused(Exception):
    """An expected refusal (permission, month locked, module missing): a Chinese message, no traceback."""


def start(task: Any, job: BackgroundJob) -> None:
    """Enqueue ``task(job.pk)`` and make sure something will run it; if it cannot be queued, the job
    fails at once with the reason (and its upload is deleted)."""
    try:
        result = task.enqueue(job.pk)
    except Exception as exc:
        log.exception("background job %s could not be queued", job.pk)
        fail(job.pk, f"后台任务无法启动（{type(exc).__name__}），未执行任何操作，请稍后重新提交。")
        return
    BackgroundJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    work_queue(task)


def in_memory_database() -> bool:
    """The default database is an in-memory SQLite database (one shared cache: the browser tests')."""
    default = connections[DEFAULT_DB_ALIAS]
    return default.vendor == "sqlite" and bool(default.is_in_memory_db())


def work_queue(task: Any) -> bool:
    """Have the queue that ``task`` was just put on worked through once the caller's transaction commits (a
    worker started earlier would not see the queued row): in a daemon thread, or in this very thread beside
    an in-memory SQLite database. Nothing for another backend, nor when ``JINGZHUN_INLINE_TASK_WORKER`` is
    false (a ``db_worker`` runs). True when the queue has been worked through here before returning: the
    task is done, not waiting."""
    from django_tasks_db.backend import DatabaseBackend

    if not getattr(settings, "JINGZHUN_INLINE_TASK_WORKER", True) or not isinstance(
        task.get_backend(), DatabaseBackend
    ):
        return False
    ran_here: list[bool] = []

    def work() -> None:
        if in_memory_database():
            run_queued_tasks()
            ran_here.append(True)
        else:
            threading.Thread(target=_worker_thread, name="jingzhun-inline-worker", daemon=True).start()

    transaction.on_commit(work)
    return bool(ran_here)


def _worker_thread() -> None:
    try:
        run_queued_tasks()
    finally:
        connections.close_all()


def run_queued_tasks() -> None:
    """Run every queued task of the default database backend in this thread, then return (``db_worker
    --batch``). Called again from a task that this thread is running (a finished job queueing the 一张图
    refresh), it returns at once: the running loop takes the new task too."""
    from django_tasks_db.management.commands.db_worker import Worker

    if getattr(_working_here, "yes", False):
        return
    with _worker_lock:
        _working_here.yes = True
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
            _working_here.yes = False


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
    BackgroundJob.objects.filter(pk=job_id).update(
        status=JobStatus.RUNNING, stage="开始", progress_at=timezone.now(), result={"worker": worker()}
    )
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


def fail(job_id: int, message: str) -> None:
    """Mark the job failed now with ``message`` (Chinese) and delete its upload, if any."""
    _finish(job_id, JobStatus.FAILED, {"error": message})
    _discard_uploads(BackgroundJob.objects.filter(pk=job_id).values_list("params", flat=True))


def _discard_uploads(params: Iterable[Any]) -> None:
    for p in params:
        if isinstance(p, dict) and p.get("path"):
            Path(p["path"]).unlink(missing_ok=True)


def worker() -> dict[str, Any]:
    """Who runs a job: this machine, this process, and when the process started (pids are reused)."""
    return {"host": socket.gethostname(), "pid": os.getpid(), "since": _started(os.getpid())}


def _started(pid: int) -> str:
    """The process's start time (clock ticks since boot, Linux); "" when it is gone, a zombie, or not
    Linux."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return ""
    return "" if fields[0] in {"Z", "X"} else fields[19]  # state, then starttime (field 22 of stat)


def worker_gone(who: Any) -> bool:
    """True when ``who`` (:func:`worker`) ran on this machine and that process no longer exists."""
    if not isinstance(who, dict) or who.get("host") != socket.gethostname() or not isinstance(who.get("pid"), int):
        return False  # another machine, or recorded before workers were: the stale sweep decides
    if who.get("since"):
        return bool(_started(who["pid"]) != who["since"])
    try:
        os.kill(who["pid"], 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def stale_minutes() -> int:
    return int(getattr(settings, "JINGZHUN_STALE_JOB_MINUTES", STALE_JOB_MINUTES))


NOTHING_HALF_WRITTEN = "导入和月度发放都是全部完成或全部不写，不会留下半截数据；请重新提交。"


def sweep_stale(jobs: QuerySet[BackgroundJob]) -> int:
    """Mark the running jobs among ``jobs`` whose worker is gone, or whose progress has not moved for too
    long, as failed; return how many.

    Conditional UPDATEs: a job that finishes at the same moment is either already done (not matched) or
    records its outcome afterwards (over the failure).
    """
    minutes = stale_minutes()
    now = timezone.now()
    cutoff = now - dt.timedelta(minutes=minutes)
    running = jobs.filter(status=JobStatus.RUNNING)
    gone = [pk for pk, result in running.values_list("pk", "result") if worker_gone((result or {}).get("worker"))]
    stale = running.filter(Q(progress_at__lt=cutoff) | Q(progress_at__isnull=True, created_at__lt=cutoff))
    sweeps = [
        (running.filter(pk__in=gone), "处理该任务的进程已中断（如服务器重启或进程被终止），已标记为失败。"),
        (stale, f"后台任务已超过 {minutes} 分钟没有进展，处理进程可能已中断（如服务器重启），已标记为失败。"),
    ]  # fmt: skip
    count = 0
    for matched, why in sweeps if gone or stale.exists() else ():  # usually a read only: no write competes
        params = list(matched.values_list("params", flat=True))
        try:
            with transaction.atomic():
                swept = matched.update(
                    status=JobStatus.FAILED, stage="失败", finished_at=now, result={"error": why + NOTHING_HALF_WRITTEN}
                )
        except OperationalError:  # the table is busy being written (SQLite): someone is alive; next view retries
            return count
        if swept:
            _discard_uploads(params)
            log.warning("marked %d background job(s) as failed: %s", swept, why)
        count += swept
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
