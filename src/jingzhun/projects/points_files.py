"""爱心超市 by file: ``jingzhun points import`` (points earned and goods taken, all or nothing) and a
village's monthly statement (``jingzhun points statement``) as a table, an .xlsx or a PDF.

Import columns (:data:`HEADERS`): 户编号, 日期 (YYYY-MM-DD), then either 活动 (its name, e.g. 群众讲政策)
with 次数 (blank = 1), or 兑换积分 with 兑换物品. Every row goes through ``points_actions.earn`` /
``redeem`` — the page's own checks and audit rows — in one transaction for the file (:mod:`.row_import`):
earnings first, then goods in date order, so the balance is checked on the whole history and never goes
below zero whatever the order of the rows.

The statement is the household page's (``points_actions.statement``, the pure ``points_statement``) for
each household of the village with any points: the month's opening, earned, spent and closing balance,
then the month's lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jingzhun.core.actions import Actor
from jingzhun.projects import points_actions as pts
from jingzhun.projects import row_import as ri
from jingzhun.projects.models import POINT_ACTIVITY_NAMES, PointsEntry
from jingzhun.registry.models import Household
from jingzhun.registry.report import AllOrNothingReport, RowError
from jingzhun.registry.sheets import ROW

HEADERS = ("户编号", "日期", "活动", "次数", "兑换积分", "兑换物品")
COLUMNS = {
    "household": "户编号",
    "day": "日期",
    "activity": "活动",
    "count": "次数",
    "points": "兑换积分",
    "goods": "兑换物品",
}
_ACTIVITIES = {**{v: k for k, v in POINT_ACTIVITY_NAMES.items()}, **{k: k for k in POINT_ACTIVITY_NAMES}}


@dataclass
class PointsImportReport(AllOrNothingReport):
    file: str
    sha256: str = ""
    errors: list[RowError] = field(default_factory=list)
    earned_rows: int = 0
    earned: int = 0
    spent_rows: int = 0
    spent: int = 0
    written: bool = False
    dry_run: bool = False

    def counts(self) -> str:
        return f"得分 {self.earned_rows} 条共 {self.earned} 分，兑换 {self.spent_rows} 条共 {self.spent} 分"


def _household(row: dict[str, Any]) -> Household:
    number = ri.text(row, "户编号")
    household = Household.objects.select_related("village").filter(household_no=number).first()
    if household is None:
        raise ri.CellError("户编号", f"户编号 {number} 不在户籍档案中")
    return household


def _day(row: dict[str, Any]) -> dt.date:
    value = ri.text(row, "日期")
    try:
        return dt.date.fromisoformat(value[:10] if len(value) > 10 and value[10] == " " else value)
    except ValueError:
        raise ri.CellError("日期", f"「{value}」应写成 YYYY-MM-DD") from None


def _order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Earnings first, then goods by date (a bad date sorts first and is reported)."""

    def key(row: dict[str, Any]) -> tuple[int, str, int]:
        spending = bool(str(row.get("兑换积分") or "").strip())
        return (int(spending), str(row.get("日期") or "") if spending else "", int(row[ROW]))

    return sorted(rows, key=key)


def import_points_file(path: Path, *, actor: Actor, dry_run: bool = False) -> PointsImportReport:
    report = PointsImportReport(file=Path(path).name, dry_run=dry_run)
    sheet, report.sha256, report.errors = ri.read(path, HEADERS, ("户编号",))
    if sheet is None:
        return report

    def apply(row: dict[str, Any]) -> None:
        household, day = _household(row), _day(row)
        activity = ri.text(row, "活动", required=False)
        spend = ri.whole(row, "兑换积分", required=False)
        if bool(activity) == (spend is not None):
            raise ri.CellError("活动", "每行填写活动（得分）或兑换积分和兑换物品（兑换），只填一种")
        if activity:
            if activity not in _ACTIVITIES:
                raise ri.CellError(
                    "活动", f"「{activity}」不是得分活动，可选：{'、'.join(POINT_ACTIVITY_NAMES.values())}"
                )
            count = ri.whole(row, "次数", required=False)
            entry = pts.earn(
                actor, household, day=day, activity=_ACTIVITIES[activity], count=1 if count is None else count
            )
            report.earned_rows, report.earned = report.earned_rows + 1, report.earned + entry.points
        else:
            assert spend is not None
            pts.redeem(actor, household, day=day, points=spend, goods=ri.text(row, "兑换物品"))
            report.spent_rows, report.spent = report.spent_rows + 1, report.spent + spend

    report.errors = sorted(
        ri.run(_order(list(ri.rows(sheet))), apply, COLUMNS, dry_run=dry_run, default_column="户编号"),
        key=lambda e: e.row,
    )
    report.written = not report.errors and not dry_run
    return report


@dataclass(frozen=True)
class HouseholdMonth:
    household_no: str
    head: str
    opening: int
    earned: int
    spent: int
    closing: int
    lines: tuple[tuple[dt.date, str, int, int], ...]  # (day, what, change, balance after)


def village_statement(village_code: str, month: str) -> list[HouseholdMonth]:
    """Each household of the village with any points entry, its month as the household page shows it."""
    ids = PointsEntry.objects.filter(household__village__code=village_code).values("household_id").distinct()
    households = Household.objects.filter(pk__in=ids).order_by("household_no").prefetch_related("persons")
    out = []
    for household in households:
        s = pts.statement(household, month)
        head = next((p.name for p in household.persons.all() if p.relation == "head"), "")
        lines = tuple(
            (entry.day, entry.note if entry.activity else f"兑换：{entry.note}", change, after)
            for entry, change, after in s.lines
        )
        out.append(HouseholdMonth(household.household_no, head, s.opening, s.earned, s.spent, s.closing, lines))
    return out


SUMMARY = ("户编号", "户主", "上月结余", "本月得分", "本月兑换", "本月结余")
DETAIL = ("户编号", "日期", "事项", "积分", "结余")


def summary_rows(rows: list[HouseholdMonth]) -> list[list[Any]]:
    return [[r.household_no, r.head, r.opening, r.earned, r.spent, r.closing] for r in rows]


def detail_rows(rows: list[HouseholdMonth]) -> list[list[Any]]:
    return [
        [r.household_no, day.isoformat(), what, change, after] for r in rows for day, what, change, after in r.lines
    ]


def write_xlsx(out: Path, title: str, rows: list[HouseholdMonth]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "对账单"
    sheet.append([title])
    sheet.append(list(SUMMARY))
    for line in summary_rows(rows):
        sheet.append(line)
    detail = book.create_sheet("明细")
    detail.append(list(DETAIL))
    for line in detail_rows(rows):
        detail.append(line)
    book.save(out)


def write_pdf(out: Path, title: str, rows: list[HouseholdMonth]) -> None:
    """The statement in the CJK font every PDF embeds (core.fonts), every string drawn literally."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from jingzhun.core.fonts import register_font

    font = register_font()
    heading = ParagraphStyle("h", fontName=font, fontSize=14, leading=20, wordWrap="CJK")
    body = ParagraphStyle("b", fontName=font, fontSize=9, leading=12, wordWrap="CJK")

    def table(data: list[list[Any]], numeric: range) -> Table:
        t = Table([[str(c) for c in line] for line in data], repeatRows=1)
        style = [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f0f0")),
        ]
        t.setStyle(TableStyle(style + [("ALIGN", (c, 1), (c, -1), "RIGHT") for c in numeric]))
        return t

    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, title=title)
    story: list[Any] = [Paragraph(escape(title), heading), Spacer(1, 4 * mm)]
    story.append(table([list(SUMMARY), *summary_rows(rows)], range(2, 6)))
    details = detail_rows(rows)
    if details:
        story += [Spacer(1, 6 * mm), Paragraph("本月明细", body), table([list(DETAIL), *details], range(3, 5))]
    story += [Spacer(1, 6 * mm), Paragraph("积分只能在本村爱心超市兑换生活用品，不能兑换现金。", body)]
    doc.build(story)
