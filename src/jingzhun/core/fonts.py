"""The CJK font every PDF embeds (门牌标签, 民生账本, 月通报): Debian's WenQuanYi Zen Hei.

reportlab embeds a TrueType subset (``/FontFile2``) of what it draws, so Chinese text prints the same
on any machine and never shows blank boxes. The font comes from the Debian package fonts-wqy-zenhei,
which `make demo` and `make test` install; nothing is fetched at run time.
"""

from __future__ import annotations

from pathlib import Path

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
FONT_NAME = "WenQuanYiZenHei"


class FontMissing(RuntimeError):
    """The CJK font is not installed; the message names the Debian package."""


def register_font(path: Path | None = None) -> str:
    """Register the CJK font with reportlab (once) and return its name; FontMissing if not installed."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = path or FONT_PATH
    if not path.is_file():
        raise FontMissing(
            f"缺少中文字体文件 {path}，无法生成 PDF。"
            "请安装 Debian 软件包 fonts-wqy-zenhei（apt-get install fonts-wqy-zenhei）。"
        )
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
    return FONT_NAME
