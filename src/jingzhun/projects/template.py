"""The projects import template (项目资金导入模板.xlsx): the header row, two example projects, a 说明 sheet."""

from __future__ import annotations

from pathlib import Path

from jingzhun.core.spreadsheet_text import text_cells
from jingzhun.projects import columns as c

EXAMPLES = (
    (
        "2019-XY-001",
        "信义村光伏扶贫电站",
        "光伏扶贫",
        "141102001001",
        2019,
        "已验收",
        "中央财政专项",
        "500000",
        66,
        "300千瓦",
    ),
    ("2019-XY-001", None, None, None, None, None, "整合涉农资金", "245000.50", None, None),
    (
        "2020-XY-002",
        "信义镇集中安置点配套",
        "易地扶贫搬迁",
        "141102001000",
        2020,
        "在建",
        "群众自筹",
        "30000",
        120,
        None,
    ),
)

NOTES = (
    "一笔资金一行；项目编号相同的行属于同一个项目。",
    "项目名称、类型、所在区域代码、年度、状态、受益户数、说明填在项目的第一行；其他行可留空，填写时须与第一行相同。",
    "资金来源和金额（元）须同时填写；尚无资金的项目两列都不填。",
    "金额以元为单位，最多两位小数，须大于 0。",
    "所在区域代码：县为 6 位代码，乡镇、村为 12 位代码，须在本账号的工作区域内。",
    "全部正确才写入；有错误时逐条列出（第N行 [列] 消息），不写入任何数据。",
)


def write_template(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "项目资金"
    sheet.append(list(c.HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for example in EXAMPLES:
        sheet.append(list(example))
    for column in ("A", "D"):  # codes as text, so Excel never turns them into numbers
        for cell in sheet[column]:
            cell.number_format = "@"
    notes = book.create_sheet("说明")
    notes.append(["说明"])
    for line in NOTES:
        notes.append([line])
    notes.append(["类型可选：" + "、".join(c.KINDS)])
    notes.append(["状态可选：" + "、".join(c.STATUSES)])
    notes.append(["资金来源可选：" + "、".join(c.SOURCES)])
    text_cells(sheet)
    text_cells(notes)
    book.save(path)
