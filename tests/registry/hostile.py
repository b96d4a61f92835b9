"""Hostile import files, written by hand with zipfile: a few KB on disk each, gigabytes to a naive reader.

``xlsx(path, rows)`` writes a minimal workbook whose one sheet is the XML ``rows`` yields (each item
one ``<row>…</row>`` string, or any XML), with an optional ``<dimension ref>``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="户籍" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"


def text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def header_row() -> str:
    return f'<row r="1">{text("A1", "户编号")}{text("B1", "姓名")}</row>'


def xlsx(
    path: Path, rows: Iterable[str], *, dimension: str | None = None, extra: dict[str, bytes] | None = None
) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=False) as sheet:
            ref = f'<dimension ref="{dimension}"/>' if dimension else ""
            sheet.write(SHEET_HEAD.format(dimension=ref).encode())
            batch: list[str] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= 10_000:
                    sheet.write("".join(batch).encode())
                    batch.clear()
            sheet.write(("".join(batch) + SHEET_TAIL).encode())
        for name, data in (extra or {}).items():
            book.writestr(name, data)
    return path


def far_cell(path: Path, *, dimension: str | None = "A1:XFD1048576") -> Path:
    """A header and one number cell at XFD1048576: the reader's table would be 1 048 576 × 16 384."""
    return xlsx(path, [header_row(), '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'], dimension=dimension)


def million_rows(path: Path) -> Path:
    """A header and a million rows of one short text cell each (column B): about 5 MB zipped."""
    return xlsx(path, [header_row(), *(f'<row r="{r}">{text(f"B{r}", "x")}</row>' for r in range(2, 1_000_002))])


def bomb(path: Path, megabytes: int = 64) -> Path:
    """A valid little sheet plus a member of ``megabytes`` MB of spaces (about 1000 : 1 zipped)."""
    return xlsx(path, [header_row()], extra={"xl/sharedStrings.xml": b"<si><t>x</t></si>" * (megabytes << 16)})
