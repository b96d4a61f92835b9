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
def create_bank_batch(actor: Actor, plan: BankFilePlan, *, file_name: str) -> BankBatch:
    """A bank file is generated (生成代发文件): one batch row, each row's reference (``JZ`` + batch + row
    number), one audit row. The lines stay pending: only :func:`confirm_bank_batch` makes them ``sent``,
    so a file generated and never handed to the bank changes no status."""
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
    _references(plan, batch)
    record_audit(
        actor,
        "generate_bank_file",
        object_type="BankBatch",
        object_id=batch.pk,
        region_code=plan.region_prefix,
        after={"file": file_name, "rows": len(plan.rows), "total": fen_to_str(batch.total_fen)},
    )
    return batch


def _references(plan: BankFilePlan, batch: BankBatch) -> None:
    for number, row in enumerate(plan.rows, start=1):
        row.reference = f"JZ{batch.pk:06d}{number:06d}"


def batch_confirmed(batch: BankBatch) -> bool:
    return PaymentStatusEvent.objects.filter(batch=batch, status=BankStatus.SENT).exists()


def batch_plan(batch: BankBatch) -> BankFilePlan:
    """The batch's rows planned again, with its references; ``ValidationError`` when the queue changed since
    the file was generated (a run, a reversal, another file confirmed): then the file must be generated anew."""
    from jingzhun.ledger.bankfiles import plan_bank_file

    plan = plan_bank_file(batch.month, batch.region_prefix, batch.run)
    if (len(plan.rows), plan.total_fen) != (batch.rows, batch.total_fen):
        raise ValidationError(
            f"代发文件 #{batch.pk}（{batch.rows} 笔，{fen_to_str(batch.total_fen)} 元）生成后待发发放已有变化"
            f"（现为 {len(plan.rows)} 笔，{fen_to_str(plan.total_fen)} 元），请重新生成代发文件。"
        )
    _references(plan, batch)
    return plan


def record_bank_download(actor: Actor, batch: BankBatch, files: list[str]) -> None:
    """The bank files (full ID numbers) were downloaded: who, which batch, which files — one audit row."""
    require_county(actor, "下载银行代发文件")
    check_region(actor, batch.region_prefix)
    record_audit(
        actor,
        "download_bank_file",
        object_type="BankBatch",
        object_id=batch.pk,
        region_code=batch.region_prefix,
        after={"files": files, "rows": batch.rows, "total": fen_to_str(batch.total_fen)},
    )


@transaction.atomic
def confirm_bank_batch(actor: Actor, batch: BankBatch) -> int:
    """确认已报盘: the generated file was handed to the bank; every line it carries becomes ``sent`` with the
    row's reference and account. Refused when already confirmed or when the queue changed since it was
    generated. Returns the lines marked."""
    require_county(actor, "确认银行报盘")
    check_region(actor, batch.region_prefix)
    batch = BankBatch.objects.select_for_update().get(pk=batch.pk)
    if batch_confirmed(batch):
        raise ValidationError(f"代发文件 #{batch.pk} 已确认报盘，不能重复确认。")
    plan = batch_plan(batch)
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
        region_code=batch.region_prefix,
        after={"file": batch.file_name, "rows": len(plan.rows), "lines": count, "total": fen_to_str(batch.total_fen)},
    )
    return count


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
