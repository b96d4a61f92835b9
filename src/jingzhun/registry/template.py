"""The import template cadres fill in (户籍导入模板.xlsx), written from the columns.py contract.

Sheet 1 (户籍导入): the header row, drop-down lists on every single-choice and 是/否 column, text format
on the columns Excel would otherwise mangle (身份证号 loses its last digits as a number), and one example
household. Sheet 2 (说明): the rules, then one line per column — key, required, allowed values, help.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jingzhun.core.spreadsheet_text import text_cells
from jingzhun.registry import columns as c
from jingzhun.registry.idnumber import make_id_number

DATA_SHEET = "户籍导入"
HELP_SHEET = "说明"
VALIDATED_ROWS = 5_000  # drop-downs cover this many data rows
TEXT_KEYS = {"household_no", "village_code", "id_number", "bank_account", "cadre_phone", "birth_date", "status_date"}
EXAMPLE_NO = "示例-0001"
RULES = (
    "一人一行；同一户的成员填写相同的户编号。",
    "户信息列（户编号至取消资格情形）以户主行（与户主关系 = 户主）为准；其他成员行可以留空，填写的须与户主行一致。",
    "每户须有且只有一名户主。",
    "身份证号按文本填写（本模板已设为文本格式），出生日期、性别须与身份证号一致。",
    "是/否列填写“是”或“否”；可多选的列用“、”分隔多个值。日期写作 YYYY-MM-DD。",
    "收入列为元/年，最多两位小数，不能为负数。转移性收入不含本系统发放的低保、特困和救助金。",
    "本人是否有收入来源由系统判断：工资性、种养殖、经营性、财产性收入任一大于零即为有。",
    "填写了建档立卡年份的为建档立卡户，须填写户状态；非建档立卡户这两列留空。",
    "村代码须已在系统中（先导入区域文件：区域代码、名称、层级、上级代码）。",
    "导入时逐行检查全部数据：有任何错误则一行也不写入，并列出每处错误（第N行 [列] 消息）。",
    f"户编号为 {EXAMPLE_NO} 的是示例户，导入前请删除或改为真实数据。",
)


def example_rows(village_code: str = "141102001001") -> list[dict[str, object]]:
    """A three-person example household, as {header: cell} dicts (valid: it imports without error)."""
    county = village_code[:6]
    household = {
        "户编号": EXAMPLE_NO,
        "村代码": village_code,
        "地址": "某村第一组 12 号",
        "城乡类别": "农村",
        "建档立卡年份": 2016,
        "户状态": "帮扶",
        "状态日期": "2016-05-01",
        "致贫原因": "因病、缺技术",
        "住房安全等级": "B",
        "住房面积": 86.5,
        "饮水安全": "是",
        "开户银行": "农村信用社",
        "银行账号": "6221880012345678",
        "帮扶责任人": "王帮扶",
        "帮扶人电话": "13800000000",
    }
    people = [
        (
            "张建国",
            dt.date(1958, 3, 12),
            "M",
            "户主",
            {"残疾等级": 2, "残疾类别": "肢体", "第二代残疾证": "是", "种养殖收入": 3200},
        ),
        ("李秀英", dt.date(1961, 8, 20), "F", "配偶", {"慢性病": "高血压", "转移性收入": 600.5}),
        ("张小明", dt.date(2010, 9, 1), "M", "孙子女", {"在校情况": "义务教育", "学校": "某村小学"}),
    ]
    rows = []
    for i, (name, birth, sex, relation, extra) in enumerate(people):
        person = {
            "姓名": name,
            "身份证号": make_id_number(county, birth, 10 + i, sex),
            "与户主关系": relation,
            "性别": "男" if sex == "M" else "女",
            "出生日期": birth.isoformat(),
            "自理能力": "全自理",
            "劳动能力": "有劳动力" if relation != "孙子女" else "无劳动力",
            "在校情况": "非在校",
            "参加基本医保": "是",
            "有赡养能力的法定义务人": "否",
            "收入年度": 2019,
            **extra,
        }
        rows.append({**(household if i == 0 else {"户编号": EXAMPLE_NO}), **person})
    return rows


def _allowed(col: c.Column) -> str:
    return "、".join(col.choices) if col.choices else ""


def _required_text(col: c.Column) -> str:
    if not col.required:
        return "否"
    if col.key == "household_no" or col.level == c.P:
        return "是"
    return "是（户主行）"


def write_template(path: Path, *, village_code: str = "141102001001") -> Path:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    sheet.append(list(c.HEADERS))
    required_fill, optional_fill = PatternFill("solid", fgColor="FCE4D6"), PatternFill("solid", fgColor="DDEBF7")
    for i, col in enumerate(c.COLUMNS, start=1):
        letter = get_column_letter(i)
        cell = sheet.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = required_fill if col.required else optional_fill
        cell.comment = Comment(f"[{col.key}] {'必填' if col.required else '选填'}。{col.help}", "jingzhun")
        sheet.column_dimensions[letter].width = max(10, 2 * len(col.header) + 4)
        cells = f"{letter}2:{letter}{VALIDATED_ROWS + 1}"
        if col.kind in ("enum", "bool"):
            check = DataValidation(type="list", formula1=f'"{",".join(col.choices)}"', allow_blank=True)
            check.error, check.errorTitle = f"请从下拉列表中选择：{_allowed(col)}", "取值不在允许范围内"
            check.add(cells)
            sheet.add_data_validation(check)
    sheet.freeze_panes = "A2"
    for r, row in enumerate(example_rows(village_code), start=2):
        for i, col in enumerate(c.COLUMNS, start=1):
            cell = sheet.cell(row=r, column=i, value=row.get(col.header))
            if col.key in TEXT_KEYS:
                cell.number_format = "@"

    notes = book.create_sheet(HELP_SHEET)
    notes.append(["户籍导入模板说明"])
    notes["A1"].font = Font(bold=True, size=14)
    for n, rule in enumerate(RULES, start=1):
        notes.append([f"{n}. {rule}"])
    notes.append([])
    notes.append(["列名", "字段（key）", "层级", "必填", "可选值", "说明"])
    for cell in notes[notes.max_row]:
        cell.font = Font(bold=True)
    for col in c.COLUMNS:
        level = "户" if col.level == c.H else "人"
        notes.append([col.header, col.key, level, _required_text(col), _allowed(col), col.help])
    for letter, width in zip("ABCDEF", (22, 26, 6, 8, 60, 40), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    text_cells(sheet)
    text_cells(notes)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
