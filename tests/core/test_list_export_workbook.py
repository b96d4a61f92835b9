"""导出Excel's file (core.list_export.workbook), read back: title and count rows, bold headers, column widths,
frozen header, money as numbers shown 1,234.50, text kept as text and never a formula."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from jingzhun.core.list_export import MONEY_FORMAT, Export, workbook


def test_the_file_reads_back_with_its_title_header_money_and_guarded_text() -> None:
    export = Export(
        "发放明细",
        ["发放月份：2020-06", "区域：信义村"],
        ("台账行", "户主", "金额（元）", "说明", "人数"),
        [
            (7, "张三", Decimal("1234.50"), '=HYPERLINK("http://x","点我")', 3),
            (8, "李四", Decimal("-0.01"), None, 0),
            (9, "王五", Decimal("98765432.10"), "http://example.com", 1),
        ],
        total=3,
    )
    sheet = load_workbook(io.BytesIO(workbook(export))).active
    assert sheet.title == "发放明细"
    assert sheet["A1"].value == "发放明细（筛选条件：发放月份：2020-06，区域：信义村）"
    assert sheet["A1"].font.bold and sheet["A1"].font.size == 13
    assert sheet["A2"].value.startswith("共 3 条。导出时间 ")
    assert [c.value for c in sheet[3]] == ["台账行", "户主", "金额（元）", "说明", "人数"]
    assert all(c.font.bold for c in sheet[3])
    money = sheet["C4"]
    assert money.data_type == "n" and Decimal(str(money.value)) == Decimal("1234.5")
    assert money.number_format == MONEY_FORMAT
    assert Decimal(str(sheet["C5"].value)) == Decimal("-0.01") and sheet["C5"].number_format == MONEY_FORMAT
    assert Decimal(str(sheet["C6"].value)) == Decimal("98765432.10")
    assert sheet["A4"].value == 7 and sheet["A4"].data_type == "n" and sheet["A4"].number_format == "General"
    formula = sheet["D4"]
    assert formula.data_type == "s" and formula.value == '=HYPERLINK("http://x","点我")' and formula.quotePrefix
    assert sheet["D5"].value is None and sheet["E5"].value == 0
    assert sheet["D6"].value == "http://example.com" and not sheet["D6"].hyperlink
    assert sheet.freeze_panes == "A4"
    # a header's width in characters (2 a Chinese character + 4, between 10 and 40); XlsxWriter stores Excel's
    # character width plus its cell padding (10 → 10.71) and one <col> for neighbours of the same width
    widths = {i: d.width for d in sheet.column_dimensions.values() for i in range(d.min, d.max + 1)}
    assert {i: round(w) for i, w in widths.items()} == {1: 11, 2: 11, 3: 15, 4: 11, 5: 11}
