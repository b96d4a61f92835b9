"""Bank results (回盘): the bank's answer to a bank file — which references it paid (成功) and which it
returned (退票: 账户冻结、户名不符…).

One reader for both: a CSV or XLSX with the header row ``参考号, 金额（元）[, 账号, 状态, 退回原因]``. The
``状态`` column, when present, says per row 成功 (paid) or 失败/退回 (returned); without it every row has the
command's meaning (``ledger bank-confirm``: paid, ``ledger bank-returns``: returned). An optional row whose
参考号 is ``合计`` must equal the sum of the other rows, to the fen.

Importing is all-or-nothing: every row is checked — known reference, still ``sent`` (not already paid or
returned), same amount to the fen (and account, when given), not listed twice — and every bad row is
reported as ``第 N 行 列名 [key]：消息``; only a clean file writes. Paid lines become ``paid`` (已发放);
returned lines become ``returned`` and are queued again (``pending``) for the next bank file. Each step is
an action with its audit row, all in one transaction. The result reconciles every bank file touched:
报盘 = 已到账 + 退回 + 未回盘, to the fen.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from jingzhun.ledger.bankfiles import latest_status
from jingzhun.ledger.models import BankBatch, BankStatus, PaymentLine, PaymentStatusEvent
from jingzhun.policy.money import fen_to_str, yuan_to_fen

RETURN_HEADERS = {
    "参考号": "reference",
    "金额（元）": "amount",
    "账号": "account",
    "状态": "status",
    "退回原因": "reason",
}
PAID_WORDS = frozenset({"成功", "已到账", "已发放", "到账", "success", "paid"})
RETURNED_WORDS = frozenset({"失败", "退回", "退票", "银行退回", "failed", "returned"})
TOTAL_REFERENCE = "合计"


@dataclass
class ReturnRow:
    row: int
    reference: str
    amount_fen: int
    account: str
    reason: str
    status: str = BankStatus.RETURNED


@dataclass
class BatchReconciliation:
    """One bank file after the import: what it sent = paid + returned + not yet answered, in fen."""

    batch_id: int
    file_name: str
    sent_fen: int = 0
    paid_fen: int = 0
    returned_fen: int = 0
    open_fen: int = 0

    @property
    def balanced(self) -> bool:
        return self.sent_fen == self.paid_fen + self.returned_fen + self.open_fen

    def line(self) -> str:
        return (
            f"报盘文件 #{self.batch_id}（{self.file_name}）：报盘 {fen_to_str(self.sent_fen)} 元 = "
            f"已到账 {fen_to_str(self.paid_fen)} + 退回 {fen_to_str(self.returned_fen)} + "
            f"未回盘 {fen_to_str(self.open_fen)}"
        )


@dataclass
class ImportResult:
    paid_lines: int = 0
    paid_fen: int = 0
    returned_lines: int = 0
    returned_fen: int = 0
    file_fen: int = 0
    batches: list[BatchReconciliation] = field(default_factory=list)


def _status_of(text: str, default: str) -> str | None:
    if not text:
        return default
    word = text.strip().lower()
    if word in PAID_WORDS:
        return BankStatus.PAID
    if word in RETURNED_WORDS:
        return BankStatus.RETURNED
    return None


def _table(path: Path) -> list[list[str]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).active
        return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def read_returns(path: Path, default: str = BankStatus.RETURNED) -> tuple[list[ReturnRow], list[str]]:
    """Rows of a bank result file (CSV or XLSX) and the errors found reading it (see the module doc)."""
    try:
        table = _table(path)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return [], [f"无法读取文件（应为 UTF-8 CSV 或 XLSX）：{exc}"]
    if not table:
        return [], ["文件为空"]
    header = [h.strip() for h in table[0]]
    missing = [h for h in ("参考号", "金额（元）") if h not in header]
    if missing:
        return [], [f"第 1 行：缺少列 {'、'.join(missing)}（需要 参考号、金额（元），可选 账号、状态、退回原因）"]
    index = {RETURN_HEADERS[h]: i for i, h in enumerate(header) if h in RETURN_HEADERS}
    rows, errors = [], []
    declared: tuple[int, int] | None = None  # (row, fen) of a 合计 row
    for number, raw in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        cell = {key: (raw[i].strip() if i < len(raw) else "") for key, i in index.items()}
        if not cell["reference"]:
            errors.append(f"第 {number} 行 参考号 [reference]：不能为空")
            continue
        try:
            fen = yuan_to_fen(cell["amount"])
        except ValueError as exc:
            errors.append(f"第 {number} 行 金额（元） [amount]：{exc}")
            continue
        if cell["reference"] == TOTAL_REFERENCE:
            declared = (number, fen)
            continue
        status = _status_of(cell.get("status", ""), default)
        if status is None:
            errors.append(f"第 {number} 行 状态 [status]：应为 成功 或 失败（退回），得到 {cell['status']!r}")
            continue
        rows.append(ReturnRow(number, cell["reference"], fen, cell.get("account", ""), cell.get("reason", ""), status))
    if declared is not None and not errors and declared[1] != sum(r.amount_fen for r in rows):
        errors.append(
            f"第 {declared[0]} 行 金额（元） [amount]：合计 {fen_to_str(declared[1])} 与明细之和 "
            f"{fen_to_str(sum(r.amount_fen for r in rows))} 不符"
        )
    return rows, errors


def match_returns(rows: list[ReturnRow]) -> tuple[list[PaymentLine], dict[int, tuple[str, str]], list[str]]:
    """The lines each reference covers, checked: known, still ``sent``, amount and account agree.

    The details map each line to (reference, the bank's reason); the caller splits paid from returned
    by the row status (:func:`split`).
    """
    errors: list[str] = []
    seen: dict[str, int] = {}
    lines: list[PaymentLine] = []
    details: dict[int, tuple[str, str]] = {}
    sent = PaymentStatusEvent.objects.filter(reference__in=[r.reference for r in rows], status=BankStatus.SENT)
    by_reference: dict[str, list[PaymentStatusEvent]] = {}
    for event in sent.select_related("line__household__village"):
        by_reference.setdefault(event.reference, []).append(event)
    statuses = latest_status([e.line_id for events in by_reference.values() for e in events])
    for row in rows:
        where = f"第 {row.row} 行 参考号 [reference] {row.reference}"
        if row.reference in seen:
            errors.append(f"{where}：与第 {seen[row.reference]} 行重复")
            continue
        seen[row.reference] = row.row
        events = by_reference.get(row.reference)
        if not events:
            errors.append(f"{where}：找不到该参考号的报盘记录")
            continue
        not_sent = [e.line_id for e in events if statuses.get(e.line_id) != BankStatus.SENT]
        if not_sent:
            label = BankStatus(statuses[not_sent[0]]).label
            verb = "确认到账" if row.status == BankStatus.PAID else "退回"
            errors.append(f"{where}：该笔已处理（当前状态：{label}），不能重复{verb}")
            continue
        amount = sum(e.line.amount_fen for e in events)
        if amount != row.amount_fen:
            errors.append(f"{where}：金额 [amount] {fen_to_str(row.amount_fen)} 与报盘金额 {fen_to_str(amount)} 不符")
            continue
        account = events[0].note
        if row.account and row.account != account:
            errors.append(f"{where}：账号 [account] {row.account} 与报盘账号不符")
            continue
        for event in events:
            lines.append(event.line)
            details[event.line_id] = (row.reference, row.reason)
    return lines, details, errors


def _row_number(message: str) -> int:
    found = re.match(r"第 (\d+) 行", message)
    return int(found.group(1)) if found else 0


def reconcile(batch_ids: set[int]) -> list[BatchReconciliation]:
    """For each bank file: every line it sent, and what followed its ``sent`` event (paid, returned or nothing)."""
    out = []
    names = dict(BankBatch.objects.filter(pk__in=batch_ids).values_list("pk", "file_name"))
    sent = list(
        PaymentStatusEvent.objects.filter(batch_id__in=batch_ids, status=BankStatus.SENT).values_list(
            "batch_id", "line_id", "id", "line__amount_fen"
        )
    )
    later: dict[int, list[tuple[int, str]]] = {}
    for line_id, event_id, status in PaymentStatusEvent.objects.filter(
        line_id__in={line_id for _, line_id, _, _ in sent}
    ).values_list("line_id", "id", "status"):
        later.setdefault(line_id, []).append((event_id, status))
    for batch_id in sorted(batch_ids):
        r = BatchReconciliation(batch_id, names.get(batch_id, ""))
        for b, line_id, event_id, amount in sent:
            if b != batch_id:
                continue
            r.sent_fen += amount
            after = sorted(e for e in later.get(line_id, []) if e[0] > event_id)
            outcome = after[0][1] if after else None
            if outcome == BankStatus.PAID:
                r.paid_fen += amount
            elif outcome == BankStatus.RETURNED:
                r.returned_fen += amount
            else:
                r.open_fen += amount
        out.append(r)
    return out


def import_results(actor: Any, path: Path, *, default: str) -> ImportResult:
    """Mark the file's payments paid or returned (returned ones queued again); ``ValidationError`` lists
    every bad row and nothing is written then."""
    from django.core.exceptions import ValidationError

    from jingzhun.ledger.actions import mark_paid, mark_returned, requeue_returned

    rows, errors = read_returns(path, default)
    if not rows and not errors:
        raise ValidationError(["文件中没有回盘记录"])
    with transaction.atomic():
        lines, details, mismatches = match_returns(rows)
        errors = sorted(errors + mismatches, key=_row_number)
        if errors:
            raise ValidationError(errors)
        status_of = {row.reference: row.status for row in rows}
        paid = [line for line in lines if status_of[details[line.pk][0]] == BankStatus.PAID]
        returned = [line for line in lines if status_of[details[line.pk][0]] == BankStatus.RETURNED]
        if paid:
            mark_paid(actor, paid, details=details)
        if returned:
            mark_returned(actor, returned, details=details)
            requeue_returned(actor, returned, note=f"银行退回后重新排队（{path.name}）")
        batches = set(
            PaymentStatusEvent.objects.filter(
                reference__in=list(status_of), status=BankStatus.SENT, batch__isnull=False
            ).values_list("batch_id", flat=True)
        )
        result = ImportResult(
            paid_lines=len(paid),
            paid_fen=sum(line.amount_fen for line in paid),
            returned_lines=len(returned),
            returned_fen=sum(line.amount_fen for line in returned),
            file_fen=sum(row.amount_fen for row in rows),
            batches=reconcile(batches),
        )
    return result
