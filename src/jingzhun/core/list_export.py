"""导出Excel of a staff list: exactly the rows the list's filter gives, all pages, as the role sees them.

Every list page (户籍, 在册对象, 申请, 待复核, 帮扶记录, 发放明细, 疑点, 返贫预警) builds an :class:`Export` from the
same filtered rows its page shows (names and ID numbers already masked as the screen shows them to this
role) and answers ``?format=xlsx`` with :func:`response`. The file's first row names the list and its filter
in words; the second says how many rows matched and, beyond :data:`EXPORT_CAP`, that only the first
:data:`EXPORT_CAP` are in the file (narrow the filter). Each download writes one audit row
(``core.export_list``: who, which list, which filter, how many rows) — a list of names leaving the system
is something an auditor asks about. Cells are guarded as :func:`spreadsheet_text.text_cells` does (no formula).
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
    """The .xlsx: title row (list and filter), count row, header row, then the rows; every cell text-guarded.

    Written with XlsxWriter, cell by cell (openpyxl built every cell as an object and
    spent 2 s saving 3 000 rows: bench/bench_xlsx_export.py). Each value's type picks its writer, so nothing
    is ever taken for a formula or a link: text is a string cell, and text a spreadsheet would read as a
    formula (``spreadsheet_text.formula_like``) also gets Excel's quote prefix; money (Decimal yuan) is a
    number shown ``#,##0.00``; other numbers are numbers."""
    import xlsxwriter

    from jingzhun.core.spreadsheet_text import formula_like

    out = io.BytesIO()
    options = {
        "in_memory": True,  # no temporary files (EXPORT_CAP rows fit in memory)
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    book = xlsxwriter.Workbook(out, options)
    sheet = book.add_worksheet(export.name[:31])
    title, bold = book.add_format({"bold": True, "font_size": 13}), book.add_format({"bold": True})
    money, quoted = book.add_format({"num_format": MONEY_FORMAT}), book.add_format({"quote_prefix": True})
    for index, header in enumerate(export.headers):
        sheet.set_column(index, index, max(10, min(40, len(str(header)) * 2 + 4)))
    sheet.freeze_panes(3, 0)  # rows 1-3 (title, count, headers) stay in view
    _write_row(sheet, 0, [export.title], quoted, money, formula_like, title)
    _write_row(sheet, 1, [export.count_text], quoted, money, formula_like)
    _write_row(sheet, 2, list(export.headers), quoted, money, formula_like, bold)
    for number, row in enumerate(export.rows, start=3):
        _write_row(sheet, number, row, quoted, money, formula_like)
    book.close()
    return out.getvalue()


def _write_row(
    sheet: Any, number: int, row: Sequence[Any], quoted: Any, money: Any, formula_like: Any, style: Any = None
) -> None:
    for column, value in enumerate(row):
        if value is None or value == "":
            continue
        if isinstance(value, str):
            sheet.write_string(number, column, value, quoted if formula_like(value) else style)
        elif isinstance(value, bool):
            sheet.write_boolean(number, column, value, style)
        elif isinstance(value, Decimal):  # money: a number Excel can add, shown as 1,234.50
            sheet.write_number(number, column, value, money)
        elif isinstance(value, int | float):
            sheet.write_number(number, column, value, style)
        else:  # a date or anything else: as the page shows it
            sheet.write_string(number, column, str(value), style)


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
