"""Background tasks of 数据比对: import an uploaded list, run the cross-check (the same code as the CLI)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django_tasks import task

from jingzhun.core.actions import Actor
from jingzhun.core.jobs import JobRefused, Progress, run_job
from jingzhun.core.models import BackgroundJob

MAX_ERRORS_KEPT = 2000


@task()
def import_dept_list(job_id: int) -> dict[str, Any]:
    return run_job(job_id, _import)


@task()
def run_crosscheck_job(job_id: int) -> dict[str, Any]:
    return run_job(job_id, _run)


def _import(job: BackgroundJob, progress: Progress) -> dict[str, Any]:
    from jingzhun.monitoring.crosscheck.importer import import_list

    path = Path(job.params["path"])
    actor = Actor.for_user(job.owner)
    progress("读取并逐行检查名单", 0, 1)
    try:
        report = import_list(
            path,
            source=job.params["source"],
            as_of=dt.date.fromisoformat(job.params["as_of"]),
            actor=actor,
            dry_run=bool(job.params.get("dry_run")),
            name=job.params.get("name", ""),
        )
    finally:
        path.unlink(missing_ok=True)  # the sha256 in the audit row identifies the file
    if report.errors and report.errors[0].row == 0 and not report.sha256:
        raise JobRefused(f"{report.summary()}{' '.join(e.message for e in report.errors)}")
    return {
        "file": report.file,
        "summary": report.summary(),
        "ok": report.ok,
        "written": report.written,
        "dry_run": report.dry_run,
        "source": report.source,
        "rows": report.rows,
        "error_count": len(report.errors),
        "errors": [{"row": e.row, "column": e.column, "text": str(e)} for e in report.errors[:MAX_ERRORS_KEPT]],
    }


def _run(job: BackgroundJob, progress: Progress) -> dict[str, Any]:
    from jingzhun.monitoring.crosscheck.run import run_crosscheck

    actor = Actor.for_user(job.owner)
    source = job.params.get("source") or None
    result = run_crosscheck(actor, [source] if source else None, progress=lambda text: progress(text, 0, 1))
    return {
        "summary": f"比对完成：命中 {len(result.hits)} 行，新增疑点 {result.new} 个，"
        f"已有疑点保持不变 {result.kept} 个，新增待甄别名单行 {result.flagged} 行。",
        "hits": len(result.hits),
        "new": result.new,
        "kept": result.kept,
        "flagged": result.flagged,
        "lists": result.lists,
        "seconds": round(result.seconds, 1),
    }
