"""导出Excel of 发放明细: the ledger's lines of a month in a run's region (optionally one program), and one
household's 民生账本 — each line as the pages show it (names as staff see them; no ID numbers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jingzhun.core.actions import Actor
from jingzhun.core.list_export import Export, capped, yuan
from jingzhun.ledger.models import LineKind, PaymentLine
from jingzhun.ledger.queries import scoped
from jingzhun.ledger.statements import Statement, bank_statuses
from jingzhun.policy.vocabulary import PROGRAM_NAMES

HEADERS = ("台账行", "发放月份", "户编号", "乡镇", "村", "项目", "对象", "类型", "金额（元）", "发放状态", "说明")


def month_lines(actor: Actor, month: dt.date, region_prefix: str, region_name: str, program: str = "") -> Export:
    """The month's lines in the region, by 户编号 then line; ``program`` narrows to one 项目."""
    lines = scoped(region_prefix).filter(month=month)
    if program:
        lines = lines.filter(program=program)
    total = lines.count()
    ordered = lines.select_related("household__village__parent", "person").order_by("household__household_no", "id")
    items: list[Any] = capped(ordered, total)
    status = bank_statuses([line.pk for line in items])
    rows = [_row(line, status.get(line.pk, "")) for line in items]
    filters = [f"发放月份：{month:%Y-%m}", f"区域：{region_name or region_prefix or '全部'}"]
    if program:
        filters.append(f"项目：{PROGRAM_NAMES.get(program, program)}")
    return Export("发放明细", filters, HEADERS, rows, total, region_prefix)


def _row(line: PaymentLine, status: str) -> tuple[Any, ...]:
    village = line.household.village
    return (
        line.pk,
        f"{line.month:%Y-%m}",
        line.household.household_no,
        village.parent.name if village.parent else "",
        village.name,
        PROGRAM_NAMES.get(line.program, line.program),
        line.person.name if line.person else "全户",
        LineKind(line.kind).label,
        yuan(line.amount_fen),
        status,
        line.reason,
    )


def statement_lines(actor: Actor, statement: Statement, region_code: str) -> Export:
    """One household's 民生账本, every line with its explanation."""
    headers = ("台账行", "发放月份", "项目", "对象", "类型", "金额（元）", "发放状态", "依据与说明")
    rows = [
        (e.line_id, f"{e.month:%Y-%m}", e.program_name, e.member, e.kind, yuan(e.amount_fen), e.bank_status, e.reason)
        for e in statement.entries
    ]
    total = len(rows)
    return Export("民生账本", [f"户编号：{statement.household_no}"], headers, capped(rows, total), total, region_code)
