"""Door labels (门牌二维码) as an A4 PDF: a 2 × 4 grid, each label a vector QR code and its captions.

The Chinese font is embedded (a TrueType subset of Debian's WenQuanYi Zen Hei), so the labels print
the same on any machine and never show blank boxes. It is also the canvas's initial font: reportlab
otherwise starts every page in Helvetica, one of the 14 standard fonts it references but never
embeds, which print-shop and PDF/A preflight checks flag even though no glyph is drawn with it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from jingzhun.core.fonts import FontMissing, register_font
from jingzhun.public.listing import Label

__all__ = ["FontMissing", "register_font", "write_labels"]

CAPTION = "扫码查看本户帮扶信息 · 一码清"
COLUMNS, ROWS = 2, 4
PER_PAGE = COLUMNS * ROWS


def _draw_qr(canvas: Any, data: str, x: float, y: float, size: float) -> None:
    """The QR code as filled rectangles (one per run of dark modules): sharp at any print size."""
    import segno

    qr = segno.make(data, error="m", micro=False)
    matrix = qr.matrix
    border = 4
    n = len(matrix) + 2 * border
    module = size / n
    path = canvas.beginPath()
    for r, row in enumerate(matrix):
        top = y + size - (r + border) * module
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                path.rect(x + (start + border) * module, top - module, (c - start) * module, module)
            else:
                c += 1
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, fill=1, stroke=0)


def _fit(canvas: Any, text: str, font: str, size: float, width: float) -> float:
    """The largest font size ≤ ``size`` at which ``text`` fits in ``width``."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    while size > 6 and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _draw_label(canvas: Any, label: Label, font: str, x: float, y: float, w: float, h: float) -> None:
    from reportlab.lib.units import mm

    c = canvas
    c.setStrokeColorRGB(0.6, 0.6, 0.6)
    c.setDash(2, 2)
    c.rect(x, y, w, h, stroke=1, fill=0)
    c.setDash()
    qr_size = min(h - 16 * mm, w * 0.5)
    _draw_qr(c, label.url, x + 3 * mm, y + 12 * mm, qr_size)
    tx = x + 3 * mm + qr_size + 3 * mm
    tw = x + w - 3 * mm - tx
    lines = [
        ("一户一码", 15.0),
        (label.township, 11.0),
        (label.village, 11.0),
        (f"户主：{label.head}", 11.0),
        ("户号：", 9.0),
        (label.household_no, 9.0),
    ]
    ty = y + h - 10 * mm
    c.setFillColorRGB(0, 0, 0)
    for text, size in lines:
        size = _fit(c, text, font, size, tw)
        c.setFont(font, size)
        c.drawString(tx, ty, text)
        ty -= size * 1.6
    if label.office or label.phone:
        office = f"发布单位：{label.office}" if label.office else ""
        phone = f"监督举报电话：{label.phone}" if label.phone else ""
        text = "　".join(t for t in (office, phone) if t)
        size = _fit(c, text, font, 8.5, w - 6 * mm)
        c.setFont(font, size)
        c.drawCentredString(x + w / 2, y + 9.5 * mm, text)
    c.setFillColorRGB(0.7, 0.13, 0.13)
    size = _fit(c, CAPTION, font, 10.0, w - 6 * mm)
    c.setFont(font, size)
    c.drawCentredString(x + w / 2, y + 5 * mm, CAPTION)


def write_labels(
    labels: Sequence[Label],
    out: Path | IO[bytes],
    *,
    title: str = "",
    advance: Callable[[], None] | None = None,
) -> int:
    """Write the labels to ``out`` (a path or a binary file; A4, 2 × 4 per page); return the number of pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    font = register_font()
    page_w, page_h = A4
    margin = 10 * mm
    w = (page_w - 2 * margin) / COLUMNS
    h = (page_h - 2 * margin) / ROWS
    canvas = Canvas(
        str(out) if isinstance(out, Path) else out,
        pagesize=A4,
        pageCompression=1,
        initialFontName=font,  # not reportlab's default Helvetica, which it would reference unembedded
        initialFontSize=11,
    )
    canvas.setTitle(title or "一码清门牌标签")
    canvas.setCreator("jingzhun qr labels")
    for start in range(0, len(labels), PER_PAGE):
        for i, label in enumerate(labels[start : start + PER_PAGE]):
            col, row = i % COLUMNS, i // COLUMNS
            _draw_label(canvas, label, font, margin + col * w, page_h - margin - (row + 1) * h, w, h)
            if advance:
                advance()
        canvas.showPage()
    pages = -(-len(labels) // PER_PAGE)
    if not labels:
        canvas.setFont(font, 14)
        canvas.drawString(margin, page_h - 2 * margin, "该村暂无在册户，没有需要打印的门牌标签。")
        canvas.showPage()
        pages = 1
    canvas.save()
    return pages
