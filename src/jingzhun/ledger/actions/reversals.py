"""冲正: a line that negates one earlier line, with the reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.ledger.actions._base import require_county
from jingzhun.ledger.locks import month_file_lock, take_month_lock
from jingzhun.ledger.models import (
    LineKind,
    PaymentLine,
)
from jingzhun.policy.money import fen_to_str

if TYPE_CHECKING:
    pass


def reverse_payment(actor: Actor, line_id: int, reason: str) -> PaymentLine:
    """冲正: append a line of the opposite amount. A reversal is never reversed; a line only once.

    Takes the month's run lock, so a reversal never interleaves with a run of the same month.
    """
    require_county(actor, "冲正")
    if not reason.strip():
        raise ValidationError("冲正原因 [reason] 不能为空。")
    month = PaymentLine.objects.filter(pk=line_id).values_list("month", flat=True).first()
    if month is None:
        raise ValidationError(f"台账行 [LINE_ID] 不存在：{line_id}")
    with month_file_lock(month), transaction.atomic():
        take_month_lock(month)
        return _reverse(actor, line_id, reason)


def _reverse(actor: Actor, line_id: int, reason: str) -> PaymentLine:
    line = PaymentLine.objects.select_for_update().select_related("household__village").get(pk=line_id)
    check_region(actor, line.household.village.code)
    if line.kind == LineKind.REVERSAL:
        raise ValidationError(f"台账行 {line_id} 本身是冲正记录，不能再冲正。")
    existing = PaymentLine.objects.filter(reverses=line).first()
    if existing is not None:
        raise ValidationError(f"台账行 {line_id} 已于 {existing.created_at:%Y-%m-%d} 冲正（冲正记录 #{existing.pk}）。")
    reversal = PaymentLine.objects.create(
        run=None,
        household=line.household,
        person_id=line.person_id,
        program=line.program,
        month=line.month,
        amount_fen=-line.amount_fen,
        kind=LineKind.REVERSAL,
        reverses=line,
        reason=reason.strip(),
        explain_key=line.explain_key,
        persons=line.persons,
        actor_label=actor.label,
    )
    record_audit(
        actor,
        "reverse_payment",
        object_type="PaymentLine",
        object_id=reversal.pk,
        region_code=line.household.village.code,
        before={"line": line.pk, "amount": fen_to_str(line.amount_fen)},
        after={"reversal": reversal.pk, "amount": fen_to_str(reversal.amount_fen)},
        reason=reversal.reason,
    )
    return reversal
