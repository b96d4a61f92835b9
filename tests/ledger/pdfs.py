"""What a generated PDF contains: its text and whether its fonts are embedded TrueType (/FontFile2)."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader


def embedded_fonts(path: Path) -> set[str]:
    names = set()
    for page in PdfReader(path).pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor.get_object():
                    names.add(str(font["/BaseFont"]))
    return names


def text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)
