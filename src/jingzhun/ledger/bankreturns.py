"""Returned payments (退票): a file from the bank listing the references it could not pay.

Importing is all-or-nothing: every row is checked — known reference, still ``sent``, same amount (and
account, when given), not listed twice — and every bad row is reported with its row number and a Chinese
message; only a clean file marks its lines ``returned`` and queues them again (``pending``) for the next
bank file, each step an action with its audit row, both in one transaction.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from jingzhun.ledger.bankfiles import latest_status
from jingzhun.ledger.models import BankStatus, PaymentLine, PaymentStatusEvent
from jingzhun.policy.money import fen_to_str
from jingzhun.registry.money import yuan_to_fen

RETURN_HEADERS = {"参考号": "reference", "金额（元）": "amount", "账号": "account", "退回原因": "reason"}


@dataclass
class ReturnRow:
    row: int
    reference: str
    amount_fen: int
    account: str
    reason: str


def read_returns(path: Path) -> tuple[list[ReturnRow], list[str]]:
    """Rows of a returns file (CSV or XLSX, header row ``参考号, 金额（元）[, 账号, 退回原因]``) and errors."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).active
        table = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            table = list(csv.reader(handle))
    if not table:
        return [], ["文件为空"]
    header = [h.strip() for h in table[0]]
    missing = [h for h in ("参考号", "金额（元）") if h not in header]
    if missing:
        return [], [f"第 1 行：缺少列 {'、'.join(missing)}（需要 参考号、金额（元），可选 账号、退回原因）"]
    index = {RETURN_HEADERS[h]: i for i, h in enumerate(header) if h in RETURN_HEADERS}
    rows, errors = [], []
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
        rows.append(ReturnRow(number, cell["reference"], fen, cell.get("account", ""), cell.get("reason", "")))
    return rows, errors


def match_returns(rows: list[ReturnRow]) -> tuple[list[PaymentLine], dict[int, tuple[str, str]], list[str]]:
    """The lines each returned reference covers, checked: known, still ``sent``, amount and account agree."""
    errors: list[str] = []
    seen: dict[str, int] = {}
    lines: list[PaymentLine] = []
    details: dict[int, tuple[str, str]] = {}  # line id → (reference, the bank's reason)
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
            errors.append(f"{where}：该笔已处理（当前状态：{label}），不能重复退回")
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


def import_returns(actor: Any, path: Path) -> tuple[int, int]:
    """Mark the file's payments returned and queue them again; ``ValidationError`` lists every bad row."""
    from django.core.exceptions import ValidationError

    from jingzhun.ledger.actions import mark_returned, requeue_returned

    rows, errors = read_returns(path)
    if not rows and not errors:
        raise ValidationError(["文件中没有退回记录"])
    with transaction.atomic():
        lines, details, mismatches = match_returns(rows)
        errors = sorted(errors + mismatches, key=_row_number)
        if errors:
            raise ValidationError(errors)
        mark_returned(actor, lines, details=details)
        requeue_returned(actor, lines, note=f"银行退回后重新排队（{path.name}）")
    return len(lines), sum(line.amount_fen for line in lines)
