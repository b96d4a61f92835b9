"""代发: the lines a bank file carries become sent; the bank's answer makes them paid or returned; returned lines
go back to pending."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.ledger.actions._base import EVENT_COLUMNS, require_county
from jingzhun.ledger.bulk import insert_rows
from jingzhun.ledger.models import (
    BankBatch,
    BankStatus,
    PaymentLine,
    PaymentStatusEvent,
)
from jingzhun.policy.money import fen_to_str

if TYPE_CHECKING:
    from jingzhun.ledger.bankfiles import BankFilePlan


@transaction.atomic
def send_bank_file(actor: Actor, plan: BankFilePlan, *, file_name: str) -> BankBatch:
    """Record a bank file: one batch row, and a ``sent`` event for every line it carries.

    Gives each row its reference (``JZ`` + batch + row number); the event keeps the account paid to.
    """
    require_county(actor, "生成银行代发文件")
    check_region(actor, plan.region_prefix)
    batch = BankBatch.objects.create(
        month=plan.month,
        run=plan.run,
        region_prefix=plan.region_prefix,
        file_name=file_name,
        rows=len(plan.rows),
        total_fen=plan.total_fen,
        actor_label=actor.label,
    )
    for number, row in enumerate(plan.rows, start=1):
        row.reference = f"JZ{batch.pk:06d}{number:06d}"
    now = timezone.now()
    events = (
        (line_id, BankStatus.SENT.value, batch.pk, row.reference, row.account, now, actor.label)
        for row in plan.rows
        for line_id in row.line_ids
    )
    count = insert_rows(PaymentStatusEvent._meta.db_table, EVENT_COLUMNS, events)
    record_audit(
        actor,
        "send_bank_file",
        object_type="BankBatch",
        object_id=batch.pk,
        region_code=plan.region_prefix,
        after={"file": file_name, "rows": len(plan.rows), "lines": count, "total": fen_to_str(batch.total_fen)},
    )
    return batch


def _append_status(
    actor: Actor,
    lines: Sequence[PaymentLine],
    status: str,
    *,
    action: str,
    details: dict[int, tuple[str, str]],
    what: str = "处理银行退票",
) -> int:
    require_county(actor, what)
    if not lines:
        raise ValidationError("没有需要处理的台账行。")
    for code in sorted({line.household.village.code for line in lines}):
        check_region(actor, code)
    now = timezone.now()
    PaymentStatusEvent.objects.bulk_create(
        [
            PaymentStatusEvent(
                line=line,
                status=status,
                reference=details.get(line.pk, ("", ""))[0],
                note=details.get(line.pk, ("", ""))[1][:200],
                at=now,
                actor_label=actor.label,
            )
            for line in lines
        ]
    )
    record_audit(
        actor,
        action,
        object_type="PaymentLine",
        object_id=f"{lines[0].pk}…（共 {len(lines)} 行）" if len(lines) > 1 else lines[0].pk,
        after={
            "lines": [line.pk for line in lines],
            "status": status,
            "amount": fen_to_str(sum(line.amount_fen for line in lines)),
        },
    )
    return len(lines)


@transaction.atomic
def mark_paid(actor: Actor, lines: Sequence[PaymentLine], *, details: dict[int, tuple[str, str]]) -> int:
    """The bank paid these payments (回盘成功): ``paid`` (已发放), with the bank reference. Only ``sent`` lines."""
    from jingzhun.ledger.bankfiles import latest_status

    statuses = latest_status([line.pk for line in lines])
    wrong = [line.pk for line in lines if statuses.get(line.pk) != BankStatus.SENT]
    if wrong:
        raise ValidationError(f"只有已报盘的发放才能确认到账，这些台账行不是已报盘状态：{wrong[:10]}")
    return _append_status(actor, lines, BankStatus.PAID, action="mark_paid", details=details, what="确认银行到账")


@transaction.atomic
def mark_returned(actor: Actor, lines: Sequence[PaymentLine], *, details: dict[int, tuple[str, str]]) -> int:
    """The bank returned these payments (账户冻结、户名不符…): ``returned``, with reference and reason."""
    return _append_status(actor, lines, BankStatus.RETURNED, action="mark_returned", details=details)


@transaction.atomic
def requeue_returned(actor: Actor, lines: Sequence[PaymentLine], *, note: str) -> int:
    """Returned payments go back to ``pending``: the next bank file carries them again."""
    from jingzhun.ledger.bankfiles import latest_status

    statuses = latest_status([line.pk for line in lines])
    wrong = [line.pk for line in lines if statuses.get(line.pk) != BankStatus.RETURNED]
    if wrong:
        raise ValidationError(f"只有银行退回的发放才能重新排队，这些台账行不是退回状态：{wrong[:10]}")
    details = {line.pk: ("", note) for line in lines}
    return _append_status(actor, lines, BankStatus.PENDING, action="requeue_returned", details=details)
