"""Import files as cadres send them: the registry template (columns.HEADERS), one person per row."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jingzhun.registry import columns as c
from jingzhun.registry.idnumber import make_id_number

_serial = itertools.count(300)


def person_row(
    household_no: str, name: str, *, village: str = "141102001001", head: bool = True, **cells: Any
) -> dict[str, Any]:
    birth = dt.date(1950, 4, 9) if head else dt.date(1955, 8, 1)
    sex = "M" if head else "F"
    row: dict[str, Any] = {
        "户编号": household_no,
        "姓名": name,
        "身份证号": make_id_number(village[:6], birth, next(_serial), sex),
        "与户主关系": "户主" if head else "配偶",
        "性别": "男" if head else "女",
        "出生日期": birth.isoformat(),
        "自理能力": "全自理",
        "劳动能力": "弱劳动力",
        "在校情况": "非在校",
        "参加基本医保": "是",
        "有赡养能力的法定义务人": "否",
        "收入年度": "2019",
        "种养殖收入": "1500",
    }
    if head:
        row |= {
            "村代码": village,
            "地址": "信义村二组5号",
            "城乡类别": "农村",
            "建档立卡年份": "2016",
            "户状态": "帮扶",
            "状态日期": "2016-05-01",
            "住房安全等级": "B",
            "饮水安全": "是",
        }
    return {**row, **cells}


def write_csv(path: Path, rows: Iterable[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(c.HEADERS)
        for row in rows:
            writer.writerow([row.get(h, "") for h in c.HEADERS])
    return path


def write_xlsx(path: Path, rows: Iterable[dict[str, Any]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(c.HEADERS))
    for row in rows:
        sheet.append([row.get(h) for h in c.HEADERS])
    book.save(path)
    return path


def clean_rows() -> list[dict[str, Any]]:
    """Two households of 信义村: 郭春生 with his wife, and 马玉兰 alone."""
    return [
        person_row("1411020010010101", "郭春生"),
        person_row("1411020010010101", "田桂花", head=False),
        person_row("1411020010010102", "马玉兰"),
    ]


def bad_rows() -> list[dict[str, Any]]:
    """Row 2: 城乡类别 not a choice; row 4: an ID number whose check digit is wrong."""
    rows = clean_rows()
    rows[0]["城乡类别"] = "山区"
    number = rows[2]["身份证号"]
    rows[2]["身份证号"] = number[:17] + ("0" if number[17] != "0" else "1")
    return rows
