"""Background task: import an uploaded registry file (the same importer as ``jingzhun registry import``).

The upload page saves the file, creates a :class:`~jingzhun.core.models.BackgroundJob` and
enqueues :func:`import_registry_file`. The importer validates every row before it writes anything and
writes everything in one transaction (all or nothing); this task only relays its progress and keeps its
report — every bad cell as 第N行 [列] 消息 — on the job for the page to show. A file that cannot be read at
all (over a limit of :mod:`.limits`, not a spreadsheet) fails the job with the reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django_tasks import task

from jingzhun.core.actions import Actor
from jingzhun.core.jobs import JobRefused, Progress, run_job
from jingzhun.core.models import BackgroundJob

MAX_ERRORS_KEPT = 2000


@task()
def import_registry_file(job_id: int) -> dict[str, Any]:
    return run_job(job_id, _import)


def _import(job: BackgroundJob, progress: Progress) -> dict[str, Any]:
    from jingzhun.registry.importer import import_file

    path = Path(job.params["path"])
    actor = Actor.for_user(job.owner)

    def tick(done: int, total: int) -> None:
        third = max(total // 3, 1)
        stage = "读取文件" if done < third else "逐行检查" if done < 2 * third else "写入数据库（全部成功或全部不写）"
        progress(stage, done, total)

    try:
        report = import_file(path, actor=actor, dry_run=bool(job.params.get("dry_run")), progress=tick)
    finally:
        path.unlink(missing_ok=True)  # the sha256 in the audit row identifies the file; no ID numbers left on disk
    if report.errors and report.template == "unknown":  # not read at all (a limit, not a spreadsheet): the job failed
        raise JobRefused(f"{report.summary()}{' '.join(e.message for e in report.errors)}")
    return {
        "file": job.params.get("name", report.file),
        "summary": report.summary(),
        "ok": report.ok,
        "written": report.written,
        "dry_run": report.dry_run,
        "template": report.template,
        "regions": report.regions,
        "households": report.households,
        "persons": report.persons,
        "sha256": report.sha256,
        "assigned": report.assigned_lines(),
        "error_count": len(report.errors),
        "errors": [
            {"row": e.row, "column": e.column, "message": e.message, "text": str(e)}
            for e in report.errors[:MAX_ERRORS_KEPT]
        ],
    }
