"""月发放: a month run's snapshot, run row and lines, and the 临时救助 it accounts for."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jingzhun.core.actions import Actor, record_audit
from jingzhun.ledger.actions._base import LINE_COLUMNS
from jingzhun.ledger.bulk import insert_rows
from jingzhun.ledger.models import (
    MonthRun,
    PaymentLine,
    RunSnapshot,
    TemporaryAccount,
)
from jingzhun.policy.money import fen_to_str

if TYPE_CHECKING:
    from jingzhun.ledger.runs import Plan, RunResult


@transaction.atomic(savepoint=False)
def record_month_run(
    actor: Actor, plan: Plan, summary: RunResult, *, on_chunk: Callable[[int], None] | None = None
) -> MonthRun:
    """The run row, its snapshot (shared when the inputs are unchanged), its lines and its audit row."""
    snapshot_id = RunSnapshot.objects.filter(sha256=plan.sha256).values_list("pk", flat=True).first()
    if snapshot_id is None:
        snapshot_id = RunSnapshot.objects.create(sha256=plan.sha256, data=plan.snapshot, size=len(plan.snapshot)).pk
    now = timezone.now()
    run = MonthRun.objects.create(
        month=plan.first,
        region_prefix=plan.region_prefix,
        kind=plan.kind,
        started_at=plan.started_at,
        finished_at=now,
        actor_label=actor.label,
        inputs_sha256=plan.sha256,
        snapshot_id=snapshot_id,
        lines_added=summary.lines_added,
        amount_added_fen=summary.amount_added_fen,
        households=summary.households,
        total_fen=summary.total_fen,
        by_program=summary.by_program,
        changes=summary.changes,
    )
    rows = (
        (
            run.pk,
            household_pk,
            person_pk or None,
            program,
            plan.first,
            amount,
            kind,
            None,
            reason,
            explain_key,
            persons,
            now,
            actor.label,
        )
        for household_pk, person_pk, program, amount, kind, reason, explain_key, persons in plan.writes.iter_rows()
    )
    insert_rows(PaymentLine._meta.db_table, LINE_COLUMNS, rows, on_chunk=on_chunk)
    accounted = _account_temporary(plan, run)
    record_audit(
        actor,
        "run_month",
        object_type="MonthRun",
        object_id=run.pk,
        region_code=plan.region_prefix,
        after={
            "run": run.pk,
            "month": f"{plan.first:%Y-%m}",
            "kind": plan.kind,
            "lines_added": summary.lines_added,
            "amount_added": fen_to_str(summary.amount_added_fen),
            "households": summary.households,
            "total": fen_to_str(summary.total_fen),
            "by_program": {k: fen_to_str(v) for k, v in summary.by_program.items()},
            "inputs_sha256": plan.sha256,
            **({"temporary_accounted": accounted} if accounted else {}),
        },
    )
    return run


def _account_temporary(plan: Plan, run: MonthRun) -> list[int]:
    """Record the 临时救助 applications this run pays (its month's and 补发) that no month accounts for yet."""
    ids = {*plan.inputs.applications, *plan.computed.late["application_id"].to_list()}
    if not ids:
        return []
    known = set(TemporaryAccount.objects.filter(application_id__in=ids).values_list("application_id", flat=True))
    new = sorted(ids - known)
    try:
        with transaction.atomic():  # a savepoint: the clash below is reported, not left as a broken transaction
            TemporaryAccount.objects.bulk_create(
                [TemporaryAccount(application_id=pk, month=plan.first, run=run) for pk in new], batch_size=2000
            )
    except IntegrityError:
        # Runs of two different months (each under its own month lock) both paying the same late 临时救助:
        # the one that commits first owns it; this one writes nothing and says why.
        raise ValidationError(
            f"另一个月份的发放刚刚补发了本次也要补发的临时救助（申请 {', '.join(map(str, new[:5]))}…），"
            "本次发放未写入任何数据，请重新运行。"
        ) from None
    return new
