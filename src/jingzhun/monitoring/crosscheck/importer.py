"""Import a department list (部门比对名单) as a dated snapshot: all or nothing, every bad row as 第N行.

The file is read by the registry's reader (:func:`jingzhun.registry.importer.open_import`: the same upload
limits and .xlsx guard, 身份证号 kept as Excel displays it so a number Excel rounded is recognisable); the
columns are DESIGN.md's — 姓名 and 身份证号 (the column must exist, a cell may be blank), optional 出生日期
and 村代码 — and every other column is kept as the row's evidence. A row is refused when its 姓名 is blank,
its 姓名 holds ``<``, ``>`` or control characters (the registry's rule), its 身份证号 is one Excel turned
into a number (``1.41102E+17``) or longer than 32 characters, its
出生日期 is not a date, or its 村代码 is not 12 digits; an ID number that is merely invalid (bad check digit) is
kept — the matcher treats it as no usable ID and matches the row on name, birth date and village. Only a
clean file is written (:func:`jingzhun.monitoring.crosscheck.actions.write_list`, one transaction, one audit
row); importing the same file for the same source and date again writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jingzhun.core.actions import Actor
from jingzhun.crosscheck.frames import DATE_FORMATS
from jingzhun.monitoring.crosscheck.sources import SHORT, SOURCES
from jingzhun.registry.importer import open_import
from jingzhun.registry.report import AllOrNothingReport, RowError
from jingzhun.registry.sheets import ROW
from jingzhun.registry.validators import NAME_FORBIDDEN, name_message

NAME, ID, BIRTH, VILLAGE = "姓名", "身份证号", "出生日期", "村代码"
REQUIRED = (NAME, ID)
_EXCEL_NUMBER = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)
_VILLAGE = re.compile(r"^\d{12}$")
_NAME_FORBIDDEN = re.compile(NAME_FORBIDDEN)
MAX_ERRORS = 2000


@dataclass
class ListReport(AllOrNothingReport):
    file: str
    source: str
    as_of: dt.date | None
    sha256: str = ""
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    rows_with_id: int = 0
    written: bool = False
    dry_run: bool = False
    already: bool = False  # the same file for the same source and date was imported before: nothing written
    list_id: int | None = None

    def counts(self) -> str:
        what = SHORT.get(self.source, self.source)
        text = f"{what}名单 {self.rows} 行（填有身份证号 {self.rows_with_id} 行），截至 {self.as_of}"
        return text + ("；该文件此前已导入，未重复写入" if self.already else "")


def parse_date(text: str) -> dt.date | None:
    cleaned = text.strip()[:10] if re.match(r"^\d{4}-\d{2}-\d{2}[ T]", text.strip()) else text.strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


def validate_rows(frame: Any, headers: tuple[str, ...]) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Every row checked; the clean rows as dicts (row, name, id_number, birth_date, village_code, evidence)."""
    errors: list[RowError] = []
    missing = [h for h in REQUIRED if h not in headers]
    if missing:
        return [], [RowError(1, h, f"缺少必需的列“{h}”（身份证号列须有，单元格可为空）") for h in missing]
    others = [h for h in headers if h not in (NAME, ID, BIRTH, VILLAGE)]
    rows: list[dict[str, Any]] = []
    for record in frame.iter_rows(named=True):
        n = int(record[ROW])
        name = (record.get(NAME) or "").strip()
        id_number = (record.get(ID) or "").strip()
        birth_text = (record.get(BIRTH) or "").strip()
        village = (record.get(VILLAGE) or "").strip()
        before = len(errors)
        if not name:
            errors.append(RowError(n, NAME, "姓名不能为空 [name]"))
        elif len(name) > 64:
            errors.append(RowError(n, NAME, "姓名超过 64 个字符 [name]"))
        elif _NAME_FORBIDDEN.search(name):
            errors.append(RowError(n, NAME, f"{name_message('姓名')} [name]"))
        if _EXCEL_NUMBER.match(id_number):
            errors.append(
                RowError(
                    n,
                    ID,
                    f"身份证号被 Excel 存成了数字（{id_number}），末几位已丢失；请将该列设为文本后重新填写 [id_number]",
                )
            )
        elif len(id_number) > 32:
            errors.append(RowError(n, ID, "身份证号超过 32 个字符 [id_number]"))
        birth = None
        if birth_text:
            birth = parse_date(birth_text)
            if birth is None:
                errors.append(RowError(n, BIRTH, f"出生日期无法识别（{birth_text}），应为 YYYY-MM-DD [birth_date]"))
        if village and not _VILLAGE.match(village):
            errors.append(RowError(n, VILLAGE, f"村代码应为 12 位数字（{village}）[village]"))
        if len(errors) > before:
            if len(errors) >= MAX_ERRORS:
                break
            continue
        rows.append(
            {
                "row": n,
                "name": name,
                "id_number": id_number,
                "birth_date": birth,
                "village_code": village,
                "evidence": {h: record[h] for h in others if record.get(h) is not None},
            }
        )
    return rows, errors


def import_list(
    path: Path, *, source: str, as_of: dt.date, actor: Actor, dry_run: bool = False, name: str = ""
) -> ListReport:
    """Validate ``path`` as a ``source`` list as of ``as_of``; write it when clean and not a dry run."""
    from jingzhun.monitoring.crosscheck.actions import check_importer, write_list

    report = ListReport(file=name or path.name, source=source, as_of=as_of, dry_run=dry_run)
    if source not in SOURCES:
        report.errors.append(RowError(0, "", f"未知的名单类别：{source}（可选：{'、'.join(SOURCES)}）"))
        return report
    check_importer(actor)
    sheet, report.sha256, errors = open_import(path, (ID,))
    if sheet is None:
        report.errors = errors
        return report
    rows, report.errors = validate_rows(sheet.frame, sheet.headers)
    if report.errors:
        return report
    report.rows = len(rows)
    report.rows_with_id = sum(1 for r in rows if r["id_number"])
    if not rows:
        report.errors.append(RowError(0, "", "名单中没有数据行"))
        return report
    if dry_run:
        return report
    dept_list, created = write_list(
        actor, source=source, as_of=as_of, file_name=report.file, sha256=report.sha256, rows=rows
    )
    report.list_id, report.written, report.already = dept_list.pk, created, not created
    return report
