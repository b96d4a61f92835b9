"""Lines that other apps pay (住院结算's 医疗救助 and "136", 一保通 claims): the ledger's receiver of
``core.payouts``."""

from __future__ import annotations

from collections.abc import Sequence

from jingzhun.core import payouts as core_payouts
from jingzhun.core.actions import Actor
from jingzhun.ledger.models import LineKind, PaymentLine


def receive_payouts(actor: Actor, payouts: Sequence[core_payouts.Payout]) -> None:
    """The ledger's receiver of ``core.payouts``: one line per payout, inside the caller's transaction.

    The caller (a medical settlement, an insurance claim decision) has checked the actor's region and
    writes the audit row; here only the programs are checked — these lines are not the month run's, so a
    program the run computes is refused (it would be adjusted away by the next run).
    """
    from jingzhun.policy.vocabulary import PAID_OUTSIDE_MONTH_RUN

    rows = []
    for p in payouts:
        if p.program not in PAID_OUTSIDE_MONTH_RUN:
            raise ValueError(f"项目 {p.program} 由月度发放计算，不能由其他业务直接记账")
        if p.amount_fen == 0 or (p.kind == LineKind.PAYMENT and p.amount_fen < 0):
            raise ValueError(f"台账金额无效：{p.program} {p.amount_fen}")
        rows.append(
            PaymentLine(
                household_id=p.household_pk,
                person_id=p.person_pk,
                program=p.program,
                month=p.month,
                amount_fen=p.amount_fen,
                kind=p.kind,
                reason=p.reason,
                explain_key=p.ref[:80],
                actor_label=actor.label,
            )
        )
    PaymentLine.objects.bulk_create(rows)
