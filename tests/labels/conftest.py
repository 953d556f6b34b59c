"""Helpers to look at rendered labels the way a scanner does: rasterise, then decode."""

from __future__ import annotations

import pypdfium2
import pytest
import zxingcpp
from PIL import Image

PRINT_DPI = 300
CODE_FORMATS = (zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.Code128)


def mm_to_px(mm: float, dpi: int = PRINT_DPI) -> float:
    return mm / 25.4 * dpi


class PrintedPdf:
    """A rendered PDF rasterised at print resolution, page by page."""

    def __init__(self, pdf_bytes: bytes, dpi: int = PRINT_DPI):
        assert pdf_bytes.startswith(b"%PDF-")
        self.dpi = dpi
        document = pypdfium2.PdfDocument(pdf_bytes)
        try:
            self.pages = [
                document[index].render(scale=dpi / 72, grayscale=True).to_pil()
                for index in range(len(document))
            ]
            self.texts = [document[index].get_textpage().get_text_range() for index in range(len(document))]
        finally:
            document.close()

    def slot_box(self, layout, slot: int) -> tuple[int, int, int, int]:
        """Pixel box (left, top, right, bottom) of a label slot."""
        left_mm, top_mm = layout.slot_origin_mm(slot)
        return (
            round(mm_to_px(left_mm, self.dpi)),
            round(mm_to_px(top_mm, self.dpi)),
            round(mm_to_px(left_mm + layout.label_width_mm, self.dpi)),
            round(mm_to_px(top_mm + layout.label_height_mm, self.dpi)),
        )

    def slot_image(self, page: int, layout, slot: int) -> Image.Image:
        return self.pages[page].crop(self.slot_box(layout, slot))

    def slot_of_point(self, layout, x: float, y: float) -> int | None:
        """1-based slot whose box contains pixel (x, y), or None."""
        for slot in range(1, layout.labels_per_page + 1):
            left, top, right, bottom = self.slot_box(layout, slot)
            if left <= x < right and top <= y < bottom:
                return slot
        return None


def decode(image: Image.Image) -> list[tuple[str, str, tuple[float, float]]]:
    """(format name, decoded text, centre in pixels) of every QR code and Code 128 in ``image``."""
    if image.mode not in ("L", "RGB"):
        image = image.convert("L")
    found = []
    for result in zxingcpp.read_barcodes(image, formats=CODE_FORMATS):
        position = result.position
        corners = (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
        centre = (sum(point.x for point in corners) / 4, sum(point.y for point in corners) / 4)
        found.append((result.format.name, result.text, centre))
    return found


def decoded_values(image: Image.Image) -> dict[str, list[str]]:
    """Decoded texts of ``image`` grouped by format name, each list sorted."""
    values: dict[str, list[str]] = {}
    for format_name, text, _ in decode(image):
        values.setdefault(format_name, []).append(text)
    return {name: sorted(texts) for name, texts in values.items()}


class Scanner:
    """What a barcode reader sees in an image."""

    symbols = staticmethod(decode)
    codes = staticmethod(decoded_values)


@pytest.fixture
def printed():
    """Rasterise PDF bytes: ``printed(pdf_bytes)`` -> ``PrintedPdf``."""
    return PrintedPdf


@pytest.fixture
def scanner():
    """``scanner.codes(image)`` -> {"QRCode": [...], "Code128": [...]}.

    ``scanner.symbols(image)`` lists each symbol with its position.
    """
    return Scanner
