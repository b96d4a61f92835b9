"""导出Excel of a staff list: exactly the rows the list's filter gives, all pages, as the role sees them.

Every list page (户籍, 在册对象, 申请, 待复核, 帮扶记录, 发放明细, 疑点, 返贫预警) builds an :class:`Export` from the
same filtered rows its page shows (names and ID numbers already masked as the screen shows them to this
role) and answers ``?format=xlsx`` with :func:`response`. The file's first row names the list and its filter
in words; the second says how many rows matched and, beyond :data:`EXPORT_CAP`, that only the first
:data:`EXPORT_CAP` are in the file (narrow the filter). Each download writes one audit row
(``core.export_list``: who, which list, which filter, how many rows) — a list of names leaving the system
is something an auditor asks about. Cells go through :func:`spreadsheet_text.text_cells`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

from jingzhun.core.actions import Actor, record_audit
from jingzhun.core.spreadsheet_text import text_cells

EXPORT_CAP = 20_000
"""Rows in one exported file; a filter matching more gets the first ones and a note saying so."""

MONEY_FORMAT = "#,##0.00"
"""Yuan in a cell: thousands separators and two decimals, as every page shows money."""

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Export:
    """One list's export: its name, the filter in words, column headers and the rows (cells as shown)."""

    name: str  # the list, e.g. "户籍查询"; also the file name's start
    filters: list[str]  # "区域：某村", "状态：在册" …; empty means 全部
    headers: Sequence[str]
    rows: list[Sequence[Any]] = field(default_factory=list)
    total: int = 0  # rows the filter matched (may exceed len(rows) when capped)
    region_code: str = ""  # the actor's scope, for the audit row
    more: bool = False  # rows beyond the file exist though ``total`` may not count them (a capped count)

    @property
    def filter_text(self) -> str:
        return "，".join(f for f in self.filters if f) or "全部"

    @property
    def title(self) -> str:
        return f"{self.name}（筛选条件：{self.filter_text}）"

    @property
    def capped(self) -> bool:
        return self.more or self.total > len(self.rows)

    @property
    def count_text(self) -> str:
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        if self.capped:
            matched = f"共 {self.total}" if self.total > len(self.rows) else f"超过 {len(self.rows)}"
            return (
                f"{matched} 条，超过单次导出上限 {EXPORT_CAP} 条，本文件只含前 {len(self.rows)} 条；"
                f"请增加筛选条件分次导出。导出时间 {stamp}（北京时间）"
            )
        return f"共 {self.total} 条。导出时间 {stamp}（北京时间）"


def capped(rows: Iterable[Any], total: int) -> list[Any]:
    """The first :data:`EXPORT_CAP` of ``rows`` (a queryset is sliced, so the database reads no more)."""
    if hasattr(rows, "__getitem__"):
        return list(rows[:EXPORT_CAP])  # type: ignore[index]
    out = []
    for row in rows:
        if len(out) >= EXPORT_CAP:
            break
        out.append(row)
    return out


def yuan(fen: int | None) -> Decimal | None:
    """Integer fen → Decimal yuan for a money cell (exact: fen / 100 in Decimal, never a float)."""
    return None if fen is None else Decimal(int(fen)) / 100


def filter_words(pairs: Iterable[tuple[str, str]]) -> list[str]:
    """``[("区域", "某村"), ("状态", "")]`` → ``["区域：某村"]``: the filters that are set, in words."""
    return [f"{label}：{value}" for label, value in pairs if value]


def workbook(export: Export) -> bytes:
    """The .xlsx: title row (list and filter), count row, header row, then the rows; every cell text-guarded."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = export.name[:31]
    sheet.append([export.title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([export.count_text])
    sheet.append(list(export.headers))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for number, row in enumerate(export.rows, start=4):  # rows 1-3: title, count, headers
        sheet.append(["" if value is None else value for value in row])
        for column, value in enumerate(row, start=1):  # (sheet.max_row would rescan every cell: quadratic)
            if isinstance(value, Decimal):  # money: a number Excel can add, shown as 1,234.50
                sheet.cell(row=number, column=column).number_format = MONEY_FORMAT
    text_cells(sheet)
    for index, header in enumerate(export.headers, start=1):
        letter = sheet.cell(row=3, column=index).column_letter
        sheet.column_dimensions[letter].width = max(10, min(40, len(str(header)) * 2 + 4))
    sheet.freeze_panes = "A4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@transaction.atomic
def record_export(actor: Actor, export: Export) -> None:
    """One audit row per download: which list, which filter, how many rows left in the file."""
    record_audit(
        actor,
        "core.export_list",
        object_type="list",
        object_id=export.name,
        region_code=export.region_code or actor.scope,
        after={"filter": export.filter_text, "rows": len(export.rows), "matched": export.total},
    )


def response(actor: Actor, export: Export) -> HttpResponse:
    """The download (audited): ``<name>-<yyyymmdd-HHMM>.xlsx``."""
    data = workbook(export)
    record_export(actor, export)
    reply = HttpResponse(data, content_type=XLSX_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    reply["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(export.name)}-{stamp}.xlsx"
    return reply


def wants_xlsx(get: Any) -> bool:
    return bool(get.get("format") == "xlsx")


def export_query(get: Any) -> str:
    """The list's query string for its 导出Excel link: the filter kept, the page dropped, ``format=xlsx``."""
    keep = get.copy()
    for key in ("page", "after", "before", "format"):
        keep.pop(key, None)
    keep["format"] = "xlsx"
    return str(keep.urlencode())
