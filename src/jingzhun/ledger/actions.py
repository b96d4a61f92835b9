"""Every write to the ledger: one function each, one transaction, one audit row (zulip's ``do_*`` habit).

* :func:`record_month_run` — a month run's snapshot, run row, lines (called by ``runs.run_month``
  inside its locked transaction);
* :func:`reverse_payment` — 冲正: a line that negates one earlier line, with the reason;
* :func:`send_bank_file` — the lines a bank file carries become ``sent``;
* :func:`mark_paid` — the bank paid these payments (``paid``, 已发放);
* :func:`mark_returned` — the bank returned these payments (``returned``);
* :func:`requeue_returned` — returned payments go back to ``pending`` for the next bank file;
* :func:`set_cpi` — the county enters a month's CPI rises (价格临时补贴 reads them in the month run).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jingzhun.core import payouts as core_payouts
from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.models import Role
from jingzhun.ledger.bulk import insert_rows
from jingzhun.ledger.locks import month_file_lock, take_month_lock
from jingzhun.ledger.models import (
    BankBatch,
    BankStatus,
    CpiMonth,
    LineKind,
    MonthRun,
    PaymentLine,
    PaymentStatusEvent,
    RunSnapshot,
    TemporaryAccount,
)
from jingzhun.policy.money import fen_to_str

if TYPE_CHECKING:
    from jingzhun.ledger.bankfiles import BankFilePlan
    from jingzhun.ledger.runs import Plan, RunResult

LINE_COLUMNS = (
    "run_id",
    "household_id",
    "person_id",
    "program",
    "month",
    "amount_fen",
    "kind",
    "reverses_id",
    "reason",
    "explain_key",
    "persons",
    "created_at",
    "actor_label",
)
EVENT_COLUMNS = ("line_id", "status", "batch_id", "reference", "note", "at", "actor_label")
PAYING_ROLES = frozenset({Role.COUNTY_OFFICER, Role.ADMIN})


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


def require_county(actor: Actor, what: str) -> None:
    """Payments are the county's business (民政局): runs, reversals and bank files are not for townships or villages."""
    if actor.role not in PAYING_ROLES:
        raise PermissionDenied(f"「{Role(actor.role).label}」不能进行「{what}」。")


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


CPI_LIMIT = Decimal(100)


def parse_cpi(text: str, field: str) -> Decimal:
    """A CPI year-on-year rise in percent: a decimal number between -100 and 100, at most two decimals."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or abs(value) >= CPI_LIMIT or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError(f"{field}：应为 -100 到 100 之间的百分数（最多两位小数，如 5.2），得到 {text!r}")
    return value


CITY_PREFIX = "1411"  # a city-level scope (吕梁市 141100 → prefix "1411") or wider


@transaction.atomic
def set_cpi(actor: Actor, month: dt.date, *, all_items: str, food: str, source: str) -> CpiMonth:
    """Enter (or correct) a month's CPI rises: a new row that from now on wins for that month, with its audit row.

    City-level staff or admin only: the CPI is the same for every county and village, and it moves payments.
    The month run of that month (re-run) then pays, changes or stops 价格临时补贴 by adjustment lines.
    """
    require_county(actor, "录入 CPI")
    check_region(actor, actor.scope)
    if len(actor.scope) > len(CITY_PREFIX):
        # One CPI serves every county of the database (吕梁 ran 价格临时补贴 city-wide from the city's CPI),
        # so a county officer may not move another county's payments with it.
        raise PermissionDenied(
            "价格指数按市统一录入，对全市各县的价格临时补贴都生效：请由市级经办人员或系统管理员录入。"
        )
    first = month.replace(day=1)
    rises = (
        parse_cpi(all_items, "居民消费价格指数同比涨幅 [--all-items]"),
        parse_cpi(food, "食品价格同比涨幅 [--food]"),
    )
    if not source.strip():
        raise ValidationError("数据来源 [--source] 不能为空（如：吕梁市统计局 2020 年 6 月统计月报）。")
    before = CpiMonth.objects.filter(month=first).order_by("-id").first()
    entry = CpiMonth.objects.create(
        month=first, all_items=rises[0], food=rises[1], source=source.strip()[:200], actor_label=actor.label
    )
    record_audit(
        actor,
        "set_cpi",
        object_type="CpiMonth",
        object_id=entry.pk,
        region_code=actor.scope,
        before=None
        if before is None
        else {"all": str(before.all_items), "food": str(before.food), "source": before.source},
        after={"month": f"{first:%Y-%m}", "all": str(entry.all_items), "food": str(entry.food), "source": entry.source},
    )
    return entry


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
