"""Bank files (代发报盘): what the bank is asked to pay, and the line statuses that follow.

Generating a file records its batch and references but changes no line's status: the lines become
``sent`` (已报盘) only when the file is confirmed as handed to the bank (``actions.confirm_bank_batch``;
``jingzhun ledger bank-sent BATCH`` or the month-run page's 确认已报盘).

A bank file carries every *queued* line — no bank status yet, or re-queued after a return — of the
month (or of one run), plus queued lines of earlier months (returned payments paid again), one row per
household: account, name and masked ID of the head of household, amount, reference. A household whose
queued lines net to zero or less (a reversal or downward adjustment after its payment was sent) gets no
row: its lines stay queued and are set off against its next payment. A household without an account gets
no row either and is listed. The file ends with a totals row and the reconciliation with the ledger.

Returned payments (退票) are read by ``bankreturns.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery

from jingzhun.core.spreadsheet_text import csv_row, text_cells
from jingzhun.ledger.models import BankStatus, MonthRun, PaymentStatusEvent
from jingzhun.ledger.queries import scoped
from jingzhun.policy.money import fen_to_str
from jingzhun.registry.idnumber import mask_id_number

HEADERS = ("序号", "参考号", "户编号", "开户银行", "账号", "户名", "身份证号", "金额（元）", "摘要")


def latest_status(line_ids: list[int]) -> dict[int, str]:
    """The current bank status of each line (lines with no event are absent: pending)."""
    out: dict[int, str] = {}
    events = PaymentStatusEvent.objects.filter(line_id__in=line_ids).order_by("line_id", "id")
    for line_id, status in events.values_list("line_id", "status"):
        out[line_id] = status
    return out


def queued(lines: Any) -> Any:
    """Lines with no bank status yet, or whose latest status is ``pending`` (re-queued)."""
    latest = PaymentStatusEvent.objects.filter(line=OuterRef("pk")).order_by("-id").values("status")[:1]
    return lines.annotate(bank_status=Subquery(latest)).filter(
        Q(bank_status__isnull=True) | Q(bank_status=BankStatus.PENDING)
    )


@dataclass
class BankRow:
    household_no: str
    bank_name: str
    account: str
    name: str
    masked_id: str
    amount_fen: int
    line_ids: list[int]
    summary: str
    reference: str = ""
    id_number: str = ""  # in full: only the bank's own file (bank_payout.py) carries it


@dataclass
class BankFilePlan:
    month: dt.date
    region_prefix: str
    run: MonthRun | None
    rows: list[BankRow] = field(default_factory=list)
    carried: list[tuple[str, int]] = field(default_factory=list)  # household_no, net ≤ 0 kept queued
    no_account: list[tuple[str, int]] = field(default_factory=list)
    earlier_fen: int = 0  # queued amounts of earlier months carried by this file (returned, re-queued)
    batch_id: int | None = None  # the BankBatch recorded for the file, when it has rows

    @property
    def total_fen(self) -> int:
        return sum(row.amount_fen for row in self.rows)


def plan_bank_file(month: dt.date, region_prefix: str = "", run: MonthRun | None = None) -> BankFilePlan:
    from jingzhun.policy.vocabulary import PAID_OUTSIDE_MONTH_RUN, PROGRAM_NAMES

    lines = scoped(region_prefix).exclude(program__in=PAID_OUTSIDE_MONTH_RUN)  # paid at the hospital / by the insurer
    lines = lines.filter(run=run) if run is not None else lines.filter(month__lte=month)
    rows = queued(lines).order_by("household__household_no", "month", "id")
    grouped: dict[int, dict[str, Any]] = {}
    earlier = 0
    for line_id, household_pk, household_no, bank_name, account, amount, program, line_month in rows.values_list(
        "id",
        "household_id",
        "household__household_no",
        "household__bank_name",
        "household__bank_account",
        "amount_fen",
        "program",
        "month",
    ):
        g = grouped.setdefault(
            household_pk,
            {"no": household_no, "bank": bank_name, "account": account, "fen": 0, "ids": [], "items": {}},
        )
        g["fen"] += amount
        g["ids"].append(line_id)
        g["items"].setdefault(f"{line_month:%Y-%m}", set()).add(PROGRAM_NAMES[program])
        if line_month < month:
            earlier += amount
    heads = _heads(region_prefix, set(grouped))
    plan = BankFilePlan(month, region_prefix, run, earlier_fen=earlier)
    for household_pk, g in grouped.items():
        if g["fen"] <= 0:
            plan.carried.append((g["no"], g["fen"]))
        elif not g["account"]:
            plan.no_account.append((g["no"], g["fen"]))
        else:
            name, number = heads.get(household_pk, ("", ""))
            summary = "；".join(f"{m} {'、'.join(sorted(p))}" for m, p in sorted(g["items"].items()))
            plan.rows.append(
                BankRow(
                    g["no"], g["bank"], g["account"], name, mask_id_number(number), g["fen"], g["ids"], summary,
                    id_number=number,
                )
            )  # fmt: skip
    return plan


def _heads(region_prefix: str, household_pks: set[int]) -> dict[int, tuple[str, str]]:
    """Name and ID number of each household's head (户主), or of its first member when none is marked."""
    from jingzhun.registry.models import Person

    persons = Person.objects.all()
    if region_prefix:
        persons = persons.filter(household__village__code__startswith=region_prefix)
    out = {
        pk: (name, number)
        for pk, name, number in persons.filter(relation="head").values_list("household_id", "name", "id_number")
        if pk in household_pks
    }
    headless = sorted(household_pks - set(out))
    for pk, name, number in (
        Person.objects.filter(household_id__in=headless)
        .order_by("-id")
        .values_list("household_id", "name", "id_number")
    ):
        out[pk] = (name, number)
    return out


LEDGER_NET = "台账本月净额（jingzhun ledger totals）"


def write_bank_file(plan: BankFilePlan, path: Path, ledger_net_fen: int) -> None:
    """The file; its 对账 block shows how the ledger's amount becomes this file's total, to the fen."""
    body = [
        [
            i,
            r.reference,
            r.household_no,
            r.bank_name,
            r.account,
            r.name,
            r.masked_id,
            fen_to_str(r.amount_fen),
            r.summary,
        ]
        for i, r in enumerate(plan.rows, start=1)
    ]
    total = ["合计", f"{len(plan.rows)} 笔", "", "", "", "", "", fen_to_str(plan.total_fen), ""]
    carried = sum(fen for _, fen in plan.carried)
    missing = sum(fen for _, fen in plan.no_account)
    notes = [
        ["对账", LEDGER_NET if plan.run is None else f"运行 #{plan.run.pk} 新增金额", fen_to_str(ledger_net_fen)],
        ["对账", "加：以前月份待发（退回重发等）", fen_to_str(plan.earlier_fen)],
        ["对账", "减：净额≤0 留待抵扣", fen_to_str(carried)],
        ["对账", "减：缺少银行账号未报盘", fen_to_str(missing)],
        ["对账", "本文件合计", fen_to_str(plan.total_fen)],
    ]
    if path.suffix.lower() == ".xlsx":
        _write_xlsx(path, body, total, notes)
    else:
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADERS)
            writer.writerows(csv_row(row) for row in body)
            writer.writerow(csv_row(total))
            writer.writerow([])
            writer.writerows(csv_row(row) for row in notes)


def _write_xlsx(path: Path, body: list[list[Any]], total: list[Any], notes: list[list[str]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "代发明细"
    sheet.append(HEADERS)
    for row in body:
        sheet.append([*row[:7], float(row[7]), row[8]])
    sheet.append([*total[:7], float(total[7]), total[8]])
    for cell in (*sheet[1], *sheet[sheet.max_row]):
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2, min_col=8, max_col=8):
        row[0].number_format = "#,##0.00"
    for column, width in zip("ABCDEFGHI", (6, 16, 14, 14, 22, 10, 20, 12, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    checks = book.create_sheet("对账")
    for note in notes:
        checks.append(note[1:])
    text_cells(sheet)
    text_cells(checks)
    book.save(path)


def export_bank_file(actor: Any, month: dt.date, region_prefix: str, run: MonthRun | None, out: Path) -> BankFilePlan:
    """Plan, record the batch (its references; the lines stay pending until ``confirm_bank_batch``,
    ``jingzhun ledger bank-sent BATCH``) and write the file, all or nothing: the file appears only when the
    transaction that records its batch has committed. ``plan.batch_id`` names the batch."""
    from jingzhun.ledger.actions import create_bank_batch
    from jingzhun.ledger.queries import month_totals

    partial = out.with_name(f".{out.stem}.part{out.suffix}")
    try:
        with transaction.atomic():
            plan = plan_bank_file(month, region_prefix, run)
            if plan.rows:
                plan.batch_id = create_bank_batch(actor, plan, file_name=out.name).pk
            if run is None:
                owed = month_totals(month, region_prefix).amount_fen
            else:
                owed = sum(run.lines.values_list("amount_fen", flat=True))
            write_bank_file(plan, partial, owed)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return plan
