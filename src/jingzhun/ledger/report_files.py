"""月通报 as files: XLSX (openpyxl, Chinese headers, money formats, frozen headers) and PDF (reportlab,
CJK font embedded). Both carry the same figures from :func:`jingzhun.ledger.report.build_report`."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from jingzhun.core.spreadsheet_text import text_cells
from jingzhun.ledger.report import SEED_SOURCE, Report, Row, SeedRow
from jingzhun.ledger.report_words import Signature, signature, summary
from jingzhun.policy.money import fen_to_decimal, fen_to_grouped

LEVEL_NAMES = {"county": "县（区、市）", "township": "乡镇", "village": "村"}
PROGRAM_HEADERS = (
    "区域代码",
    "区域",
    "项目",
    "户数",
    "人数",
    "金额（元）",
    "上月户数",
    "上月金额（元）",
    "增减金额（元）",
)
TOTAL_HEADERS = ("区域代码", "区域", "享受户数", "金额（元）", "上月户数", "上月金额（元）", "增减金额（元）")
SEED_HEADERS = (
    "项目",
    "公布户数",
    "公布人数",
    "公布全年金额（元）",
    "公布数月均（元）",
    "本系统本月户数",
    "本系统本月人数",
    "本系统本月金额（元）",
    "本系统本年累计（元）",
    "公布原文",
)


def _yuan(fen: int) -> Decimal:
    return fen_to_decimal(fen)


def _program_row(r: Row) -> list[Any]:
    """A region's figures for one program; its 合计 row leaves 人数 empty (people receive several)."""
    change = r.amount_fen - r.last_amount_fen
    persons = r.persons if r.program else None
    return [r.code, r.name, r.program_name, r.households, persons, _yuan(r.amount_fen), r.last_households,
            _yuan(r.last_amount_fen), _yuan(change)]  # fmt: skip


def _total_row(r: Row) -> list[Any]:
    change = r.amount_fen - r.last_amount_fen
    return [
        r.code,
        r.name,
        r.households,
        _yuan(r.amount_fen),
        r.last_households,
        _yuan(r.last_amount_fen),
        _yuan(change),
    ]


def _seed_row(s: SeedRow) -> list[Any]:
    f = s.figure
    monthly = None if f.amount_yuan is None else round(f.amount_yuan / 12, 2)
    year = None if s.year_fen is None else _yuan(s.year_fen)
    published = None if f.amount_yuan is None else float(f.amount_yuan)
    return [f.label, f.households, f.persons, published, monthly, s.households, s.persons, _yuan(s.month_fen), year,
            f.quote]  # fmt: skip


def report_xlsx(report: Report, path: Path, sign: Signature | None = None) -> None:
    """The workbook; its first sheet opens with the summary paragraph and ends with the 落款."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    sign = sign or signature(report)

    book = Workbook()
    title = f"{report.scope_name} {report.month:%Y 年 %m 月} 社会救助发放月通报"
    sheets: list[tuple[str, tuple[str, ...], list[list[Any]]]] = [
        ("分项目汇总", PROGRAM_HEADERS, [_program_row(r) for r in report.summary()]),
        ("乡镇合计", TOTAL_HEADERS, [_total_row(r) for r in report.at("township", totals=True)]),
        ("乡镇分项目", PROGRAM_HEADERS, [_program_row(r) for r in report.at("township", totals=False)]),
        ("村合计", TOTAL_HEADERS, [_total_row(r) for r in report.at("village", totals=True)]),
        ("村分项目", PROGRAM_HEADERS, [_program_row(r) for r in report.at("village", totals=False)]),
        ("对照离石区2018公布数", SEED_HEADERS, [_seed_row(s) for s in report.seed]),
    ]
    book.remove(book.active)
    header_fill = PatternFill("solid", fgColor="F0E0D0")
    for name, headers, rows in sheets:
        sheet = book.create_sheet(name)
        sheet.append([title])
        sheet["A1"].font = Font(bold=True, size=14)
        first = name == "分项目汇总"
        if first:
            sheet.append([summary(report)])
            sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
            sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
            sheet.row_dimensions[2].height = 60
        header_row = sheet.max_row + 1
        sheet.append(list(headers))
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        for row in rows:
            sheet.append(row)
        for column, header in enumerate(headers, start=1):
            letter = sheet.cell(row=header_row, column=column).column_letter
            sheet.column_dimensions[letter].width = 40 if header == "公布原文" else max(12, len(header) * 2 + 2)
            if "元" in header:
                for (cell,) in sheet.iter_rows(min_row=header_row + 1, min_col=column, max_col=column):
                    cell.number_format = "#,##0.00"
        sheet.freeze_panes = f"A{header_row + 1}"
        if first:
            sheet.append([])
            for line in sign.lines():
                sheet.append([None] * (len(headers) - 3) + [line])
        if name.startswith("对照"):
            sheet.append([])
            sheet.append([f"公布数出处：{SEED_SOURCE}。"])
            sheet.append([f"公布数为离石区 2018 年全年；本系统数字为 {report.scope_name} 本月台账净额。"])
        text_cells(sheet)
    book.save(path)


def report_pdf(report: Report, path: Path, sign: Signature | None = None) -> None:
    from reportlab.platypus import PageBreak, Spacer

    from jingzhun.ledger.pdf import document, paragraph, styles, table

    s = styles()
    sign = sign or signature(report)
    title = f"{report.scope_name} {report.month:%Y 年 %m 月} 社会救助发放月通报"
    doc = document(path, title, landscape_page=True)

    def money(fen: int) -> str:
        return fen_to_grouped(fen)

    def programs(rows: list[Row]) -> Any:
        body: list[list[Any]] = [list(PROGRAM_HEADERS[1:])]
        for r in rows:
            persons = r.persons if r.program else "—"
            change = money(r.amount_fen - r.last_amount_fen)
            body.append([r.name, r.program_name, r.households, persons, money(r.amount_fen), r.last_households,
                         money(r.last_amount_fen), change])  # fmt: skip
        return table(body, numeric=(2, 3, 4, 5, 6, 7))

    def totals(rows: list[Row]) -> Any:
        body: list[list[Any]] = [list(TOTAL_HEADERS)]
        for r in rows:
            body.append([r.code, r.name, r.households, money(r.amount_fen), r.last_households, money(r.last_amount_fen),
                         money(r.amount_fen - r.last_amount_fen)])  # fmt: skip
        return table(body, numeric=(2, 3, 4, 5, 6))

    story: list[Any] = [
        paragraph(title, s["title"]),
        paragraph(summary(report), s["body"]),
        paragraph("金额为台账净额（含冲正、调整），单位：元。增减为与上月相比。", s["small"]),
        paragraph("一、分项目汇总", s["h2"]),
        programs(report.summary()),
        paragraph("二、各乡镇合计", s["h2"]),
        totals(report.at("township", totals=True)),
        paragraph("三、各村合计（分项目明细见 Excel 版）", s["h2"]),
        totals(report.at("village", totals=True)),
        PageBreak(),
        paragraph("四、对照离石区 2018 年公布数", s["h2"]),
        paragraph(f"公布数出处：{SEED_SOURCE}。公布数为离石区全年；本系统数字为{report.scope_name}本月。", s["small"]),
    ]
    seed: list[list[Any]] = [[paragraph(h, s["cell"]) for h in SEED_HEADERS]]
    for row in report.seed:
        values = _seed_row(row)
        cells = ["—" if v is None else (f"{v:,.2f}" if isinstance(v, float) else str(v)) for v in values[:-1]]
        seed.append([paragraph(cells[0], s["cell"]), *cells[1:], paragraph(values[-1], s["small"])])
    story.append(table(seed, [80, 45, 45, 70, 65, 55, 55, 70, 75, 200], numeric=tuple(range(1, 9))))
    story.append(Spacer(1, 24))
    story.extend(paragraph(line, s["sign"]) for line in sign.lines())
    doc.build(story)
