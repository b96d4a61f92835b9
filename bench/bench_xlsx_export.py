"""Benchmark: writing one 导出Excel file (``core.list_export.workbook``) of ~3 000 rows, before and after.

    uv run python bench/bench_xlsx_export.py [--rows 3000] [--repeat 5]

"before" is the openpyxl writer as it was (a normal workbook, a pass of ``spreadsheet_text.text_cells`` over
every cell, then ``save``), kept here only to compare; "after" is the XlsxWriter writer now in
``core.list_export``. The rows are 发放明细's twelve columns (ids, months, names, a Decimal money cell, a
formula-like reason now and then). Prints the median and maximum seconds, the file size and the load average
(the machine is shared; wall times follow its load). No database.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))


def openpyxl_workbook(export: Any) -> bytes:
    """The writer before this change (core.list_export.workbook up to perf8), for comparison."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from jingzhun.core.list_export import MONEY_FORMAT
    from jingzhun.core.spreadsheet_text import text_cells

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
    for number, row in enumerate(export.rows, start=4):
        sheet.append(["" if value is None else value for value in row])
        for column, value in enumerate(row, start=1):
            if isinstance(value, Decimal):
                sheet.cell(row=number, column=column).number_format = MONEY_FORMAT
    text_cells(sheet)
    for index, header in enumerate(export.headers, start=1):
        letter = sheet.cell(row=3, column=index).column_letter
        sheet.column_dimensions[letter].width = max(10, min(40, len(str(header)) * 2 + 4))
    sheet.freeze_panes = "A4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sample(rows: int) -> Any:
    from jingzhun.core.list_export import Export
    from jingzhun.ledger.lines import HEADERS

    data = [
        (
            100_000 + n,
            f"2020-{n % 12 + 1:02d}",
            f"141102{n:010d}",
            "凤山街道",
            f"第{n % 400}村",
            "张" + "三四五六"[n % 4],
            "最低生活保障金",
            "全户",
            "发放",
            Decimal(45_000 + n * 7) / 100,
            "已到账",
            "=1+1" if n % 97 == 0 else ("按标准补差" if n % 3 else ""),
        )
        for n in range(rows)
    ]
    return Export("发放明细", ["发放月份：2020-06", "区域：凤山街道"], HEADERS, data, rows, "141102")


def timed(write: Callable[[Any], bytes], export: Any, repeat: int) -> tuple[float, float, int]:
    times, size = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        size = len(write(export))
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingzhun.site.settings")
    import django

    django.setup()
    from jingzhun.core.list_export import workbook

    export = sample(args.rows)
    print(f"load average before: {[round(x, 2) for x in os.getloadavg()]}")
    for label, write in (("before: openpyxl", openpyxl_workbook), ("after: XlsxWriter", workbook)):
        median, worst, size = timed(write, export, args.repeat)
        print(f"{label:<20} {args.rows} rows  median {median:6.3f} s  max {worst:6.3f} s  {size / 1e3:7.1f} kB")
    print(f"load average after: {[round(x, 2) for x in os.getloadavg()]}")


if __name__ == "__main__":
    main()
