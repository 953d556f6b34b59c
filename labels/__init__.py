"""Printable device labels: QR code, Code 128 barcode and text, as PDF or PNG.

A pure rendering package (no Django, no database)::

    from labels import LabelData, render_pdf

    pdf = render_pdf([LabelData(asset_tag="OP-000123", url="https://example.org/d/OP-000123",
                                title="Portable Dell Latitude E7450", programme="Ordi-pratique")],
                     "L7160", start_position=5)

Every input problem a user can cause raises ``LabelError`` (a ``ValueError``)
with an English message fit for display.
"""

from .data import LabelData
from .errors import LabelError
from .layouts import LAYOUTS, Layout, get_layout
from .render import MAX_LABELS_PER_REQUEST, render_pdf, render_png

__all__ = [
    "LAYOUTS",
    "MAX_LABELS_PER_REQUEST",
    "LabelData",
    "LabelError",
    "Layout",
    "get_layout",
    "render_pdf",
    "render_png",
]
