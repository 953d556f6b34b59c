"""Label layouts as plain data, at exact physical size.

A layout says where the labels are on a page; what goes inside a label is
derived from the label box by ``labels.render``, so adding a layout is one
``Layout(...)`` entry in ``_LAYOUTS`` below.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import LabelError

A4_MM = (210.0, 297.0)

# Blank border kept inside each label. Office printers may place an Avery sheet
# a millimetre or so off; Brother QL printers cannot print the outer ~1.5 mm
# of a 62 mm roll.
_SHEET_PADDING_MM = 1.5
_ROLL_PADDING_MM = 2.0


@dataclass(frozen=True)
class Layout:
    """Where labels sit on a page. All lengths are in millimetres.

    Slots are numbered from 1, left to right then top to bottom, as on the
    manufacturer's template. ``margin_top_mm``/``margin_left_mm`` locate the
    top-left corner of slot 1; ``pitch_x_mm``/``pitch_y_mm`` are the distances
    between the same corners of neighbouring labels (label size plus gap).
    """

    name: str
    description: str
    page_width_mm: float
    page_height_mm: float
    label_width_mm: float
    label_height_mm: float
    columns: int = 1
    rows: int = 1
    margin_top_mm: float = 0.0
    margin_left_mm: float = 0.0
    pitch_x_mm: float = 0.0
    pitch_y_mm: float = 0.0
    has_barcode: bool = True
    padding_mm: float = _SHEET_PADDING_MM

    def __post_init__(self) -> None:
        # A pitch of 0 means "labels touch": default it to the label size so
        # single-label layouts need not repeat themselves.
        if not self.pitch_x_mm:
            object.__setattr__(self, "pitch_x_mm", self.label_width_mm)
        if not self.pitch_y_mm:
            object.__setattr__(self, "pitch_y_mm", self.label_height_mm)
        if self.columns < 1 or self.rows < 1:
            raise ValueError(f"layout {self.name}: columns and rows must be at least 1")
        if self.pitch_x_mm < self.label_width_mm or self.pitch_y_mm < self.label_height_mm:
            raise ValueError(f"layout {self.name}: labels would overlap (pitch smaller than label)")
        right = self.margin_left_mm + (self.columns - 1) * self.pitch_x_mm + self.label_width_mm
        bottom = self.margin_top_mm + (self.rows - 1) * self.pitch_y_mm + self.label_height_mm
        # 0.01 mm of tolerance absorbs the rounding in manufacturers' figures.
        if right > self.page_width_mm + 0.01 or bottom > self.page_height_mm + 0.01:
            raise ValueError(f"layout {self.name}: labels do not fit on the page")

    @property
    def labels_per_page(self) -> int:
        """Number of label slots on one page."""
        return self.columns * self.rows

    def slot_origin_mm(self, slot: int) -> tuple[float, float]:
        """Top-left corner of 1-based ``slot``, measured from the page's top-left corner."""
        index = slot - 1
        row, column = divmod(index, self.columns)
        return (
            self.margin_left_mm + column * self.pitch_x_mm,
            self.margin_top_mm + row * self.pitch_y_mm,
        )


_LAYOUTS = (
    Layout(
        name="L7160",
        description="Avery L7160, A4 sheet of 21 labels (3 × 7), 63.5 × 38.1 mm",
        page_width_mm=A4_MM[0],
        page_height_mm=A4_MM[1],
        label_width_mm=63.5,
        label_height_mm=38.1,
        columns=3,
        rows=7,
        margin_top_mm=15.15,
        margin_left_mm=7.25,
        pitch_x_mm=66.04,
        pitch_y_mm=38.1,
    ),
    Layout(
        name="L7163",
        description="Avery L7163, A4 sheet of 14 labels (2 × 7), 99.1 × 38.1 mm",
        page_width_mm=A4_MM[0],
        page_height_mm=A4_MM[1],
        label_width_mm=99.1,
        label_height_mm=38.1,
        columns=2,
        rows=7,
        margin_top_mm=15.15,
        margin_left_mm=4.65,
        pitch_x_mm=101.6,
        pitch_y_mm=38.1,
    ),
    Layout(
        name="L7651",
        description="Avery L7651, A4 sheet of 65 labels (5 × 13), 38.1 × 21.2 mm, QR code and tag only",
        page_width_mm=A4_MM[0],
        page_height_mm=A4_MM[1],
        label_width_mm=38.1,
        label_height_mm=21.2,
        columns=5,
        rows=13,
        margin_top_mm=10.7,
        margin_left_mm=4.75,
        pitch_x_mm=40.64,
        pitch_y_mm=21.2,
        has_barcode=False,
        padding_mm=1.2,
    ),
    Layout(
        name="QL62",
        description="Brother QL, 62 mm continuous roll cut at 29 mm, one label per page",
        page_width_mm=62.0,
        page_height_mm=29.0,
        label_width_mm=62.0,
        label_height_mm=29.0,
        padding_mm=_ROLL_PADDING_MM,
    ),
    Layout(
        name="DYMO99012",
        description="Dymo 99012 address label, 89 × 36 mm, one label per page",
        page_width_mm=89.0,
        page_height_mm=36.0,
        label_width_mm=89.0,
        label_height_mm=36.0,
        padding_mm=_ROLL_PADDING_MM,
    ),
)

LAYOUTS: dict[str, Layout] = {layout.name: layout for layout in _LAYOUTS}


def get_layout(layout: str | Layout) -> Layout:
    """Return the ``Layout`` called ``layout`` (or ``layout`` itself if it is one).

    Raises ``LabelError`` listing the known names when the name is unknown.
    """
    if isinstance(layout, Layout):
        return layout
    try:
        return LAYOUTS[layout]
    except (KeyError, TypeError):
        known = ", ".join(LAYOUTS)
        raise LabelError(f"Unknown label layout {layout!r}; known layouts: {known}.") from None
