"""The 一保通 portfolio as .xlsx in the 月通报's look."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl

from jingzhun.core.spreadsheet_text import text_cells

HEADERS = ("年度", "险种", "保费（元）", "赔付（元）", "赔付率", "参保户数", "获赔户数")


def portfolio_xlsx(table: pl.DataFrame, path: Path, title: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "一保通赔付情况"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F0E0D0")
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for r in table.iter_rows(named=True):
        ratio = Decimal(r["loss_ratio"]) if r["loss_ratio"] != "—" else None
        sheet.append([r["year"], r["name"], Decimal(r["premiums_fen"]) / 100, Decimal(r["claims_fen"]) / 100, ratio,
                      r["households_insured"], r["households_paid"]])  # fmt: skip
    for column, header in enumerate(HEADERS, start=1):
        letter = sheet.cell(row=2, column=column).column_letter
        sheet.column_dimensions[letter].width = 26 if header == "险种" else max(12, len(header) * 2 + 2)
        fmt = "#,##0.00" if "元" in header else "0%" if header == "赔付率" else None
        if fmt:
            for (cell,) in sheet.iter_rows(min_row=3, min_col=column, max_col=column):
                cell.number_format = fmt
    sheet.freeze_panes = "A3"
    text_cells(sheet)
    book.save(path)
