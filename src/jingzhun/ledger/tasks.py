"""Background task: preview (dry run) or run a month through ``ledger.runs.run_month``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django_tasks import task

from jingzhun.core.actions import Actor
from jingzhun.core.jobs import JobRefused, Progress, run_job
from jingzhun.core.models import BackgroundJob, JobKind


@task()
def month_run_job(job_id: int) -> dict[str, Any]:
    return run_job(job_id, _run)


def _run(job: BackgroundJob, progress: Progress) -> dict[str, Any]:
    from django.core.exceptions import ValidationError

    from jingzhun.ledger.locks import RunInProgress
    from jingzhun.ledger.runs import run_month

    dry_run = job.kind == JobKind.MONTH_PREVIEW
    progress("计算待遇" if dry_run else "计算待遇并写入台账（一次完成，不会留下半截数据）", 0, 1)
    try:
        result = run_month(
            job.params["month"],
            region_prefix=job.region_prefix,
            actor=Actor.for_user(job.owner),
            dry_run=dry_run,
            progress=progress,
        )
    except RunInProgress as exc:
        raise JobRefused(f"{job.params['month']} 正在由其他人运行，请稍后再试。（{exc}）") from None
    except ValidationError as exc:  # a month out of range (the page refuses it first)
        raise JobRefused(" ".join(exc.messages)) from None
    return run_result_json(result)


def run_result_json(result: Any) -> dict[str, Any]:
    from jingzhun.ledger.month_compare import compare, cpi_warning
    from jingzhun.policy.explain import error_text
    from jingzhun.policy.money import fen_to_grouped
    from jingzhun.policy.vocabulary import PROGRAM_NAMES

    changes = dict(result.changes)
    # The run keeps a sample of its error rows (the first 20); group them by household, in words.
    by_household: dict[str, list[str]] = {}
    for household, message in changes.get("errors", []):
        text = error_text(str(message))
        if text not in by_household.setdefault(str(household), []):
            by_household[str(household)].append(text)
    changes["errors"] = [[household, "；".join(texts)] for household, texts in by_household.items()]
    changes["errors_shown"] = len(by_household)
    first = dt.date.fromisoformat(f"{result.month}-01")
    return {
        "compare": compare(first, result.region_prefix, result.by_program, result.persons_by_program),
        "cpi_missing": cpi_warning(first, result.region_prefix),
        "month": result.month,
        "region_prefix": result.region_prefix,
        "kind": result.kind,
        "run_id": result.run_id,
        "dry_run": result.dry_run,
        "message": result.message,
        "lines_added": result.lines_added,
        "amount_added": fen_to_grouped(result.amount_added_fen),
        "households": result.households,
        "total": fen_to_grouped(result.total_fen),
        "by_program": [
            {"program": program, "name": PROGRAM_NAMES.get(program, program), "amount": fen_to_grouped(fen)}
            for program, fen in result.by_program.items()
        ],
        "added_by_program": [
            {"program": program, "name": PROGRAM_NAMES.get(program, program), "amount": fen_to_grouped(int(fen))}
            for program, fen in changes.get("added_by_program", {}).items()
        ],
        "changes": {k: v for k, v in changes.items() if k != "added_by_program"},
    }
