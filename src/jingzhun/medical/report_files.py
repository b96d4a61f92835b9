"""The medical report as .xlsx in the 月通报's look (title row, coloured bold headers, frozen, money format)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from jingzhun.core.spreadsheet_text import text_cells
from jingzhun.medical.models import LINE_FIELDS
from jingzhun.medical.queries import Period, Report
from jingzhun.policy.medical.settle import NAMES_ZH

PERIOD_HEADERS = (
    "期间",
    "住院人次",
    "总费用（元）",
    *(h for line in LINE_FIELDS for h in (f"{NAMES_ZH[line]}人次", f"{NAMES_ZH[line]}（元）")),
    "个人自付（元）",
    "建档立卡省内住院人次",
    "建档立卡省内平均实际报销比例",
    "是否达到90%",
)
OVER_HEADERS = ("户编号", "患者", "本年住院人次", "“136”兜底（元）", "个人自付（元）")


def _y(fen: int) -> Decimal:
    return Decimal(fen) / 100


def _period_row(p: Period) -> list[Any]:
    avg = p.average_ratio
    target = p.meets_target
    return [
        p.label,
        p.stays,
        _y(p.total_fen),
        *(v for line in LINE_FIELDS for v in (p.lines[line].stays, _y(p.lines[line].amount_fen))),
        _y(p.oop_fen),
        p.poor_in_province,
        avg,
        "—" if target is None else ("是" if target else "否"),
    ]


def report_xlsx(report: Report, path: Path, title: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    book.remove(book.active)
    fill = PatternFill("solid", fgColor="F0E0D0")
    sheets: list[tuple[str, tuple[str, ...], list[list[Any]]]] = [
        ("分月汇总", PERIOD_HEADERS, [_period_row(p) for p in [*report.months, report.year_total]]),
        (
            "超“136”封顶患者",
            OVER_HEADERS,
            [[o.household_no, o.name, o.stays, _y(o.cap136_fen), _y(o.oop_fen)] for o in report.over_cap],
        ),
    ]
    for name, headers, rows in sheets:
        sheet = book.create_sheet(name)
        sheet.append([title])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append(list(headers))
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.fill = fill
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        for row in rows:
            sheet.append(row)
        for column, header in enumerate(headers, start=1):
            letter = sheet.cell(row=2, column=column).column_letter
            sheet.column_dimensions[letter].width = max(12, len(header) * 2 + 2)
            fmt = "#,##0.00" if "元" in header else "0.00%" if "比例" in header else None
            if fmt:
                for (cell,) in sheet.iter_rows(min_row=3, min_col=column, max_col=column):
                    cell.number_format = fmt
        sheet.freeze_panes = "A3"
        text_cells(sheet)
    book.save(path)
