"""Drawing labels: a PDF for sheets and label printers, a PNG for thermal printers.

The content of a label is laid out from its box alone: a square QR code on the
left as tall as the label allows, and to its right a column with the asset tag
in large type, the title (up to two lines), the subtitle, the Code 128 barcode
and the programme name. Layouts without room for a barcode keep the QR code
and the text. The geometry is computed once per layout (``_geometry``) and
each label only adds its codes and strings.
"""

from __future__ import annotations

import dataclasses
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfgen.canvas import Canvas

from .codes import (
    CODE128_QUIET_ZONE_MODULES,
    QR_QUIET_ZONE_MODULES,
    bar_runs,
    code128_modules,
    qr_runs,
)
from .data import LabelData
from .errors import LabelError
from .layouts import Layout, get_layout
from .text import fit_text, printable_text, text_width, wrap_text

MAX_LABELS_PER_REQUEST = 2000

PT_PER_MM = 72 / 25.4

# Below these module sizes printed codes stop scanning reliably: 0.3 mm QR
# modules still read with phone cameras held close; 0.16 mm Code 128 bars are
# two dots of a 300 dpi thermal head and within handheld scanners' range.
MIN_QR_MODULE_MM = 0.3
MIN_BAR_MODULE_MM = 0.16
# Wider bars do not scan better but make the barcode look bloated.
MAX_BAR_MODULE_MM = 0.4
MIN_BARCODE_HEIGHT_MM = 5.0
MAX_BARCODE_HEIGHT_MM = 14.0

TAG_FONT = "Helvetica-Bold"
TEXT_FONT = "Helvetica"
PROGRAMME_FONT = "Helvetica-Oblique"

# Share of the label's inner width the QR code may take; the rest is the
# text column, which needs more room when it holds a barcode.
QR_WIDTH_SHARE_WITH_BARCODE = 0.45
QR_WIDTH_SHARE_WITHOUT_BARCODE = 0.55

LINE_HEIGHT = 1.2  # line box height as a multiple of the font size
# Baseline distance below the top of a line box: room for accented capitals
# (É reaches about 0.93 em) while descenders (0.21 em) stay inside the box.
BASELINE_DROP = 0.93
# The asset tag shrinks to fit its line but is never cut: a shortened tag
# would name another device. Below this size a tag is refused.
TAG_MIN_SIZE = 6.0

PNG_DPI_RANGE = (100, 1200)

# "0 ", "1 ", ... for every coordinate a QR code can have (version 40 is 177
# modules wide): looking these up is twice as fast as formatting numbers, and
# a QR code is a few hundred runs.
_INT = [f"{number} " for number in range(178)]


def render_pdf(labels: Iterable[LabelData], layout: str | Layout, start_position: int = 1) -> bytes:
    """Render ``labels`` as a PDF on ``layout`` and return the PDF bytes.

    ``start_position`` is the 1-based slot on the first page where the first
    label goes, to reuse a partly used sheet; following labels fill the
    following slots and pages. Raises ``LabelError`` for an unknown layout, no
    labels, more than ``MAX_LABELS_PER_REQUEST`` labels, a start position
    outside the page, or codes that cannot be printed readably at the layout's
    size (a very long URL or asset tag).
    """
    layout = get_layout(layout)
    labels = _checked_labels(labels)
    per_page = layout.labels_per_page
    if isinstance(start_position, bool) or not isinstance(start_position, int):
        raise LabelError(f"Start position must be a whole number, not {start_position!r}.")
    if not 1 <= start_position <= per_page:
        raise LabelError(
            f"Start position {start_position} is out of range for layout {layout.name}: "
            f"choose a position from 1 to {per_page}."
        )
    return _render(labels, layout, start_position, dot_mm=None)


def render_png(label: LabelData, layout: str | Layout, dpi: int = 300) -> bytes:
    """Render one label alone as a black-and-white PNG at ``dpi`` dots per inch.

    Meant for thermal label printers: the image is exactly one label large,
    pure black and white without grey edges, and the code modules are whole
    numbers of dots so that bars keep their widths when printed.
    """
    layout = get_layout(layout)
    (label,) = _checked_labels([label])
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not PNG_DPI_RANGE[0] <= dpi <= PNG_DPI_RANGE[1]:
        low, high = PNG_DPI_RANGE
        raise LabelError(f"PNG resolution must be a whole number of dpi from {low} to {high}.")

    # Imported here so that PDF rendering does not need it.
    import pypdfium2

    dot_mm = 25.4 / dpi
    # A page of whole dots keeps the dot grid aligned with PDF coordinates,
    # which start at the bottom while pixels start at the top.
    width_dots = round(layout.label_width_mm / dot_mm)
    height_dots = round(layout.label_height_mm / dot_mm)
    width_mm = width_dots * dot_mm
    height_mm = height_dots * dot_mm
    single = dataclasses.replace(
        layout,
        page_width_mm=width_mm,
        page_height_mm=height_mm,
        label_width_mm=width_mm,
        label_height_mm=height_mm,
        columns=1,
        rows=1,
        margin_top_mm=0.0,
        margin_left_mm=0.0,
        pitch_x_mm=0.0,
        pitch_y_mm=0.0,
    )
    pdf_bytes = _render([label], single, 1, dot_mm=dot_mm)

    document = pypdfium2.PdfDocument(pdf_bytes)
    try:
        bitmap = document[0].render(
            scale=dpi / 72,
            grayscale=True,
            no_smoothtext=True,
            no_smoothpath=True,
        )
        # pypdfium2 rounds the bitmap size up, so float noise can add a blank
        # row or column at the far edge.
        image = bitmap.to_pil().crop((0, 0, width_dots, height_dots))
    finally:
        document.close()
    image = image.point(lambda value: 255 if value >= 128 else 0).convert("1")
    output = io.BytesIO()
    image.save(output, format="PNG", dpi=(dpi, dpi), optimize=True)
    return output.getvalue()


def _checked_labels(labels: Iterable[LabelData]) -> list[LabelData]:
    labels = list(labels)
    if not labels:
        raise LabelError("No labels to print.")
    if len(labels) > MAX_LABELS_PER_REQUEST:
        raise LabelError(
            f"Too many labels in one request: {len(labels)} (the maximum is {MAX_LABELS_PER_REQUEST})."
        )
    for label in labels:
        if not isinstance(label, LabelData):
            raise TypeError(f"expected LabelData, got {type(label).__name__}")
    return labels


@dataclass(frozen=True)
class _TextSlot:
    """Where a kind of text goes inside a label (points, from the label's bottom-left)."""

    font: str
    size: float
    baseline: float  # of the first line
    max_lines: int = 1

    @property
    def leading(self) -> float:
        return self.size * LINE_HEIGHT


@dataclass(frozen=True)
class _Geometry:
    """Everything about a label's content that does not depend on its data, in points."""

    label_width: float
    label_height: float
    qr_x: float  # square box of the QR code including its quiet zone
    qr_y: float
    qr_size: float
    column_x: float
    column_width: float
    tag: _TextSlot
    title: _TextSlot | None
    subtitle: _TextSlot | None
    programme: _TextSlot | None
    barcode_y: float | None  # bottom of the bars; None when the layout has no barcode
    barcode_height: float
    dot: float | None  # printer dot size when the output is a bitmap, to snap modules to


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


@lru_cache(maxsize=64)
def _geometry(layout: Layout, dot_mm: float | None) -> _Geometry:
    pad = layout.padding_mm * PT_PER_MM
    width = layout.label_width_mm * PT_PER_MM
    height = layout.label_height_mm * PT_PER_MM
    inner_width = width - 2 * pad
    inner_height = height - 2 * pad
    share = QR_WIDTH_SHARE_WITH_BARCODE if layout.has_barcode else QR_WIDTH_SHARE_WITHOUT_BARCODE
    qr_size = min(inner_height, inner_width * share)
    column_x = pad + qr_size
    column_width = width - pad - column_x

    # Type sizes follow the label height, within bounds that keep text
    # readable on small labels and sober on big ones.
    if layout.has_barcode:
        tag_size = _clamp(0.15 * inner_height, 8, 16)
        text_size = _clamp(0.08 * inner_height, 5.5, 8)
        small_size = _clamp(0.065 * inner_height, 4.5, 6.5)
    else:
        tag_size = _clamp(0.18 * inner_height, 7, 16)
        text_size = _clamp(0.1 * inner_height, 5, 8)
        small_size = _clamp(0.085 * inner_height, 4.5, 6.5)
    gap = 0.04 * inner_height

    top = height - pad
    bottom = pad
    tag = _TextSlot(TAG_FONT, tag_size, top - BASELINE_DROP * tag_size)
    cursor = top - tag_size * LINE_HEIGHT
    title = _TextSlot(TEXT_FONT, text_size, cursor - BASELINE_DROP * text_size, max_lines=2)
    cursor -= 2 * text_size * LINE_HEIGHT
    subtitle = _TextSlot(TEXT_FONT, text_size, cursor - BASELINE_DROP * text_size)
    cursor -= text_size * LINE_HEIGHT
    programme_top = bottom + small_size * LINE_HEIGHT
    programme = _TextSlot(PROGRAMME_FONT, small_size, programme_top - BASELINE_DROP * small_size)

    barcode_y = None
    barcode_height = 0.0
    if layout.has_barcode:
        barcode_y = programme_top + gap
        barcode_height = min(cursor - gap - barcode_y, MAX_BARCODE_HEIGHT_MM * PT_PER_MM)
        if barcode_height < MIN_BARCODE_HEIGHT_MM * PT_PER_MM:
            raise ValueError(f"layout {layout.name}: label too small for the text and a barcode")
    elif cursor < programme_top:
        # Small label: the QR code, tag and title matter most.
        programme = None
        if cursor < bottom:
            subtitle = None

    return _Geometry(
        label_width=width,
        label_height=height,
        qr_x=pad,
        qr_y=pad + (inner_height - qr_size) / 2,
        qr_size=qr_size,
        column_x=column_x,
        column_width=column_width,
        tag=tag,
        title=title,
        subtitle=subtitle,
        programme=programme,
        barcode_y=barcode_y,
        barcode_height=barcode_height,
        dot=dot_mm * PT_PER_MM if dot_mm else None,
    )


def _render(labels: list[LabelData], layout: Layout, start_position: int, dot_mm: float | None) -> bytes:
    geometry = _geometry(layout, dot_mm)
    page_height = layout.page_height_mm * PT_PER_MM
    per_page = layout.labels_per_page
    output = io.BytesIO()
    # invariant: identical input gives identical bytes (no creation date or random id).
    canvas = Canvas(
        output,
        pagesize=(layout.page_width_mm * PT_PER_MM, page_height),
        pageCompression=1,
        invariant=1,
    )
    canvas.setTitle(f"Labels {layout.name}")
    canvas.setCreator("Ordi-pratique")
    slot_origins = [layout.slot_origin_mm(slot) for slot in range(1, per_page + 1)]

    for index, label in enumerate(labels, start=start_position - 1):
        slot = index % per_page
        if slot == 0 and index:
            canvas.showPage()
        left_mm, top_mm = slot_origins[slot]
        x = left_mm * PT_PER_MM
        y = page_height - top_mm * PT_PER_MM - geometry.label_height
        _draw_label(canvas, geometry, layout, label, x, y)
    canvas.showPage()
    canvas.save()
    return output.getvalue()


def _snap(value: float, dot: float | None) -> float:
    return round(value / dot) * dot if dot else value


def _module_size(available: float, modules: int, dot: float | None) -> float:
    size = available / modules
    if dot:
        # A hair of tolerance so that 2.0 dots computed as 1.9999 stay 2.
        size = math.floor(size / dot + 1e-6) * dot
    return size


def _draw_label(
    canvas: Canvas, geometry: _Geometry, layout: Layout, label: LabelData, x: float, y: float
) -> None:
    _draw_qr(canvas, geometry, layout, label, x, y)
    if geometry.barcode_y is not None:
        _draw_barcode(canvas, geometry, layout, label, x, y)

    column_x = x + geometry.column_x
    width = geometry.column_width
    # One text object for all the lines of a label: far less PDF and Python
    # overhead than a drawString per line.
    text = canvas.beginText()

    tag = geometry.tag
    size = tag.size
    natural = text_width(label.asset_tag, tag.font, size)
    if natural > width:
        # Width is proportional to size; round down so float noise cannot overflow.
        size = math.floor(size * width / natural * 100) / 100
        if size < TAG_MIN_SIZE:
            raise LabelError(f"Asset tag {label.asset_tag} is too long to print on layout {layout.name}.")
    text.setFont(tag.font, size)
    text.setTextOrigin(column_x, y + tag.baseline)
    text.textOut(label.asset_tag)

    for slot, value in (
        (geometry.title, label.title),
        (geometry.subtitle, label.subtitle),
        (geometry.programme, label.programme),
    ):
        if slot is None or not value:
            continue
        lines = _fitted_lines(value, slot.font, slot.size, width, slot.max_lines)
        if lines:
            text.setFont(slot.font, slot.size)
        for number, line in enumerate(lines):
            text.setTextOrigin(column_x, y + slot.baseline - number * slot.leading)
            text.textOut(line)
    canvas.drawText(text)


@lru_cache(maxsize=4096)
def _fitted_lines(value: str, font: str, size: float, width: float, max_lines: int) -> tuple[str, ...]:
    # Labels printed together mostly share their programme, subtitle and even
    # title, so each distinct string is cleaned and measured once.
    value = printable_text(value)
    if max_lines == 1:
        line = fit_text(value, font, size, width)
        return (line,) if line else ()
    return tuple(wrap_text(value, font, size, width, max_lines))


def _draw_qr(
    canvas: Canvas, geometry: _Geometry, layout: Layout, label: LabelData, x: float, y: float
) -> None:
    count, runs = qr_runs(label.url)
    module = _module_size(geometry.qr_size, count + 2 * QR_QUIET_ZONE_MODULES, geometry.dot)
    if module < MIN_QR_MODULE_MM * PT_PER_MM - 1e-9:
        raise LabelError(
            f"The URL of label {label.asset_tag} is too long for a readable QR code on layout {layout.name} "
            f"({len(label.url)} characters)."
        )
    side = count * module
    left = _snap(x + geometry.qr_x + (geometry.qr_size - side) / 2, geometry.dot)
    top = _snap(y + geometry.qr_y + (geometry.qr_size + side) / 2, geometry.dot)
    # Module units with y pointing down, so each run is a rectangle of the
    # matrix's own integers; one path for the whole code keeps the PDF small
    # and fast.
    parts = [f"q {module:.4f} 0 0 {-module:.4f} {left:.3f} {top:.3f} cm\n"]
    parts.extend([_INT[rx] + _INT[ry] + _INT[width] + "1 re\n" for rx, ry, width in runs])
    parts.append("f Q\n")
    canvas.addLiteral("".join(parts))


def _draw_barcode(
    canvas: Canvas, geometry: _Geometry, layout: Layout, label: LabelData, x: float, y: float
) -> None:
    modules = code128_modules(label.asset_tag)
    total = len(modules) + 2 * CODE128_QUIET_ZONE_MODULES
    module = min(
        _module_size(geometry.column_width, total, geometry.dot),
        _module_size(MAX_BAR_MODULE_MM * PT_PER_MM, 1, geometry.dot),
    )
    if module < MIN_BAR_MODULE_MM * PT_PER_MM - 1e-9:
        raise LabelError(
            f"Asset tag {label.asset_tag} is too long for a readable barcode on layout {layout.name}."
        )
    left = _snap(x + geometry.column_x + CODE128_QUIET_ZONE_MODULES * module, geometry.dot)
    bottom = _snap(y + geometry.barcode_y, geometry.dot)
    height = _snap(geometry.barcode_height, geometry.dot)
    # Bars are unit-high rectangles in module units, scaled to size by the matrix.
    parts = [f"q {module:.4f} 0 0 {height:.3f} {left:.3f} {bottom:.3f} cm\n"]
    parts.extend(f"{start} 0 {width} 1 re\n" for start, width in bar_runs(modules))
    parts.append("f Q\n")
    canvas.addLiteral("".join(parts))
