"""Background task: the monthly 返贫预警 assessment started from the staff page (same code as
``jingzhun monitor run``). The job kind ``monitor_run`` is kept out of core's ``JobKind`` choices so that
core needs no migration for it (the pages show its name themselves)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django_tasks import task

from jingzhun.core.actions import Actor
from jingzhun.core.jobs import JobRefused, Progress, run_job
from jingzhun.core.models import BackgroundJob
from jingzhun.policy.params import MissingParameter

JOB_KIND = "monitor_run"


@task()
def monitor_run_job(job_id: int) -> dict[str, Any]:
    return run_job(job_id, _run)


def _run(job: BackgroundJob, progress: Progress) -> dict[str, Any]:
    from jingzhun.monitoring.cases.assess import run_assessment
    from jingzhun.monitoring.cases.queries import share_warning

    month = dt.date.fromisoformat(f"{job.params['month']}-01")
    try:
        result = run_assessment(
            month, actor=Actor.for_user(job.owner), region_prefix=job.region_prefix, progress=progress
        )
    except MissingParameter as exc:
        raise JobRefused(f"评估月份 {job.params['month']} 无监测参数（2020-01 起）：{exc}") from exc
    warning = share_warning(job.region_prefix, month)
    return {**result.as_dict(), "message": result.message, "share": warning.message, "share_warn": warning.warn}
