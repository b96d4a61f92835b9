"""`jingzhun qr labels`: A4 door labels whose QR codes open the right household, Chinese font embedded."""

import cv2
import numpy as np
import pypdfium2
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from jingzhun.cli.qr import app
from jingzhun.core import fonts as fonts_module

pytestmark = pytest.mark.django_db

HEADS = ["张一明", "李二华", "王三强", "赵四海", "刘五山", "陈六平", "杨七福", "黄八宝", "周九林"]
DPI = 200


@pytest.fixture
def village(regions, make_household):
    for name in HEADS:
        make_household(regions["v11"], [name, "配偶甲"])
    return regions["v11"]


def make_labels(tmp_path, *args: str):
    out = tmp_path / "labels.pdf"
    result = CliRunner().invoke(app, ["labels", "--village", "141102001001", "--out", str(out), *args])
    assert result.exit_code == 0, result.stderr
    return out


def decode_labels(pdf, page_index: int) -> list[str]:
    """Decode the QR code in each of the 2 × 4 label cells of one page.

    OpenCV's detector misses the odd code at one resolution (the tokens are random, so which one
    varies from run to run), as a phone camera sometimes does; like a person holding the phone a
    little closer, a cell that does not decode is tried again at a higher resolution and binarised.
    """
    page = pypdfium2.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))[page_index]
    detector = cv2.QRCodeDetector()
    found: list[tuple[int, int, str]] = []
    cells = [(row, col) for row in range(4) for col in range(2)]
    for dpi in (DPI, 300, 400):
        if not cells:
            break
        image = page.render(scale=dpi / 72).to_numpy()
        gray = cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY if image.shape[2] == 4 else cv2.COLOR_BGR2GRAY)
        height, width = gray.shape
        margin = round(10 / 25.4 * dpi)
        cell_w, cell_h = (width - 2 * margin) // 2, (height - 2 * margin) // 4
        for row, col in list(cells):
            y, x = margin + row * cell_h, margin + col * cell_w
            crop = np.ascontiguousarray(gray[y : y + cell_h, x : x + cell_w])
            text = _decode_one(detector, crop)
            if text:
                found.append((row, col, text))
                cells.remove((row, col))
            elif crop.min() > 128:  # an empty cell (the last page is not full)
                cells.remove((row, col))
    return [text for _, _, text in sorted(found)]


def _decode_one(detector: "cv2.QRCodeDetector", crop: np.ndarray) -> str:
    _, binary = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    padded = cv2.copyMakeBorder(binary, 40, 40, 40, 40, cv2.BORDER_CONSTANT, value=255)
    for decoder in (detector, cv2.QRCodeDetectorAruco()):
        for variant in (crop, binary, padded):
            text, _, _ = decoder.detectAndDecode(variant)
            if text:
                return str(text)
    return ""


def test_labels_embed_the_chinese_font(tmp_path, village) -> None:
    reader = PdfReader(make_labels(tmp_path))
    assert len(reader.pages) == 2  # 9 households, 8 a page
    embedded = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object().get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                embedded.append(str(font.get_object()["/BaseFont"]))
    assert embedded and all("WenQuanYi" in name for name in embedded)
    text = reader.pages[0].extract_text()
    assert "扫码查看本户帮扶信息 · 一码清" in text and "信义村" in text and "张*明" in text
    assert "张一明" not in text


def test_every_qr_code_on_page_one_opens_its_own_households_page(client, tmp_path, village) -> None:
    urls = decode_labels(make_labels(tmp_path), 0)
    assert len(urls) == 8 and len(set(urls)) == 8
    heads = []
    for url in urls:
        assert url.startswith("http://127.0.0.1:8000/q/")
        page = client.get(url.removeprefix("http://127.0.0.1:8000")).content.decode()
        heads.append(page.split("户主 ")[1].split("<")[0])
    assert heads == ["张*明", "李*华", "王*强", "赵*海", "刘*山", "陈*平", "杨*福", "黄*宝"]


def test_the_last_page_holds_the_remaining_labels(tmp_path, village) -> None:
    urls = decode_labels(make_labels(tmp_path, "--base", "https://yimaqing.example.cn"), 1)
    assert len(urls) == 1 and urls[0].startswith("https://yimaqing.example.cn/q/")


def test_a_missing_font_is_reported_with_the_debian_package_name(tmp_path, village, monkeypatch) -> None:
    monkeypatch.setattr(fonts_module, "FONT_PATH", tmp_path / "missing.ttc")
    result = CliRunner().invoke(app, ["labels", "--village", "141102001001", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    assert "fonts-wqy-zenhei" in result.stderr and "缺少中文字体" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_an_unknown_village_gets_no_pdf(tmp_path, db) -> None:
    result = CliRunner().invoke(app, ["labels", "--village", "141102009009", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and "未找到该村" in result.stderr


def test_without_base_the_labels_carry_the_public_base_url_setting(tmp_path, village, settings) -> None:
    settings.PUBLIC_BASE_URL = "https://yimaqing.lvliang.example.cn"
    urls = decode_labels(make_labels(tmp_path), 1)
    assert urls and all(u.startswith("https://yimaqing.lvliang.example.cn/q/") for u in urls)


def test_every_font_in_the_pdf_is_embedded(tmp_path, village) -> None:
    """No font referenced unembedded (reportlab's default Helvetica used to sit on every page)."""
    reader = PdfReader(make_labels(tmp_path, "--base", "https://yimaqing.example.cn"))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for part in [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]:
                descriptor = part.get("/FontDescriptor")
                embedded = descriptor is not None and any(
                    key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
                )
                fonts[str(part["/BaseFont"])] = fonts.get(str(part["/BaseFont"]), True) and embedded
    assert fonts and all(fonts.values()), fonts
    assert not any("Helvetica" in name for name in fonts)
    raw = make_labels(tmp_path).read_bytes()
    assert b"Helvetica" not in raw
