"""The ledger's PDFs (月通报, 民生账本): reportlab platypus with an embedded CJK TrueType font.

reportlab embeds a subset of a TrueType font it draws with (``/FontFile2``), so the Chinese text
prints the same everywhere and never shows blank boxes.

A reportlab ``Paragraph`` reads its text as markup: a ``<`` in a reversal reason made the whole 民生账本
fail to build, and ``<font size=40>已停发</font>`` in a name or reason could print a forged notice. Every
paragraph goes through :func:`paragraph`, which escapes its text, so it prints exactly what was typed;
our PDFs use no markup of their own. Table cells given as plain strings are drawn as they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from jingzhun.core.fonts import FontMissing, register_font

__all__ = ["FontMissing", "document", "paragraph", "register_font", "styles", "table"]


def paragraph(text: str, style: Any) -> Any:
    """A reportlab Paragraph that shows ``text`` literally (``<``, ``>``, ``&`` escaped; see the module doc)."""
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text), style)


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
        "sign": ParagraphStyle("sign", parent=base, fontSize=10, leading=16, leftIndent=480),
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
