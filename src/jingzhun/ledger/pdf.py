"""The ledger's PDFs (月通报, 民生账本): reportlab platypus with an embedded CJK TrueType font.

reportlab embeds a subset of a TrueType font it draws with (``/FontFile2``), so the Chinese text
prints the same everywhere and never shows blank boxes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jingzhun.core.fonts import FontMissing, register_font

__all__ = ["FontMissing", "document", "register_font", "styles", "table"]


def styles() -> dict[str, Any]:
    from reportlab.lib.styles import ParagraphStyle

    font = register_font()
    base = ParagraphStyle("base", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=22, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12, leading=16, spaceBefore=10, spaceAfter=4),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=10),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
    }


def table(rows: list[list[Any]], widths: list[float] | None = None, *, numeric: tuple[int, ...] = ()) -> Any:
    """A grid table in the CJK font: header shaded and repeated on every page, ``numeric`` columns right-aligned."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    font = register_font()
    t = Table(rows, colWidths=widths, repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f0f0")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    style += [("ALIGN", (column, 1), (column, -1), "RIGHT") for column in numeric]
    t.setStyle(TableStyle(style))
    return t


def document(path: Path, title: str, *, landscape_page: bool = False) -> Any:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    return SimpleDocTemplate(
        str(path),
        pagesize=landscape(A4) if landscape_page else A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author="精准 jingzhun",
    )
