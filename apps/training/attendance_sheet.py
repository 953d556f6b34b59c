"""The attendance sheet (feuille d'émargement) of a session, as a PDF to print and sign.

Funders audit attendance from these signed sheets, so the sheet states what was held, where,
when and by whom, and gives each enrolled household a line to sign. Pure rendering: data in
(``AttendanceSheet``, built by ``selectors.attendance_sheet_of``), PDF bytes out.
"""

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from apps.core.pdf import fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
# The page frame keeps 6 pt of padding inside the margins; tables fill what is left.
FRAME_PADDING = 6
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN - 2 * FRAME_PADDING
# Tall enough to sign in with an ordinary pen stroke.
SIGNATURE_ROW_HEIGHT = 12 * mm
INK = colors.HexColor("#1b1f23")
MUTED = colors.HexColor("#4a5560")
LINE = colors.HexColor("#8a96a3")
HEADER_FILL = colors.HexColor("#e9eef3")


@dataclass(frozen=True)
class SheetLine:
    contact_name: str
    household_size: int


@dataclass(frozen=True)
class AttendanceSheet:
    course_title: str
    structure_name: str
    topic: str
    date: str
    time: str
    place: str
    trainers: tuple[str, ...]
    lines: tuple[SheetLine, ...]


def _text(value):
    """User text, escaped: Paragraph reads markup, and a name is not markup."""
    return escape(str(value))


def render_attendance_sheet(sheet):
    regular, bold = fonts()
    styles = {
        "title": ParagraphStyle("title", fontName=bold, fontSize=18, leading=22, textColor=INK),
        "lead": ParagraphStyle("lead", fontName=regular, fontSize=10, leading=13, textColor=MUTED),
        "label": ParagraphStyle("label", fontName=regular, fontSize=9, leading=12, textColor=MUTED),
        "value": ParagraphStyle("value", fontName=bold, fontSize=10.5, leading=13, textColor=INK),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=10.5, leading=13, textColor=INK),
        "head": ParagraphStyle("head", fontName=bold, fontSize=9.5, leading=12, textColor=INK),
        "number": ParagraphStyle("number", fontName=regular, fontSize=10.5, leading=13, alignment=TA_RIGHT),
    }
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 6 * mm,
        title=_("Attendance sheet") + " · " + sheet.course_title,
        author="Ordi-pratique",
    )
    story = [
        Paragraph(_text(sheet.structure_name), styles["lead"]),
        Paragraph(_("Attendance sheet"), styles["title"]),
        Spacer(1, 3 * mm),
        _facts_table(sheet, styles),
        Spacer(1, 6 * mm),
        _households_table(sheet, styles),
        Spacer(1, 8 * mm),
        KeepTogether(_trainer_block(sheet, styles)),
    ]
    footer = " · ".join(["Ordi-pratique", sheet.course_title, sheet.date])
    document.build(story, canvasmaker=_numbered_canvas(footer, regular))
    return buffer.getvalue()


def _facts_table(sheet, styles):
    facts = [
        (_("Course"), sheet.course_title),
        (_("Session"), sheet.topic),
        (_("Date"), sheet.date),
        (_("Time"), sheet.time),
        (_("Place"), sheet.place),
        (_("Trainers"), ", ".join(sheet.trainers) or "—"),
    ]
    rows = [
        [Paragraph(_text(label), styles["label"]), Paragraph(_text(value), styles["value"])]
        for label, value in facts
    ]
    table = Table(rows, colWidths=[32 * mm, CONTENT_WIDTH - 32 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _households_table(sheet, styles):
    header = [
        Paragraph("#", styles["head"]),
        Paragraph(_("Contact person"), styles["head"]),
        Paragraph(_("People in household"), styles["head"]),
        Paragraph(_("Signature"), styles["head"]),
    ]
    rows = [header]
    for number, line in enumerate(sheet.lines, start=1):
        rows.append(
            [
                Paragraph(str(number), styles["number"]),
                Paragraph(_text(line.contact_name), styles["cell"]),
                Paragraph(str(line.household_size), styles["number"]),
                "",
            ]
        )
    if not sheet.lines:
        rows.append(["", Paragraph(_("No household is enrolled yet."), styles["cell"]), "", ""])
    widths = [10 * mm, 78 * mm, 24 * mm]
    widths.append(CONTENT_WIDTH - sum(widths))
    table = Table(
        rows, colWidths=widths, rowHeights=[None] + [SIGNATURE_ROW_HEIGHT] * (len(rows) - 1), repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("GRID", (0, 0), (-1, -1), 0.6, LINE),
                ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
                ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, 0), 4),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
            ]
        )
    )
    return table


def _trainer_block(sheet, styles):
    present = Paragraph(
        _("Households present: ______ out of %(count)d") % {"count": len(sheet.lines)}, styles["cell"]
    )
    signature_box = Table(
        [
            [Paragraph(_("Trainer's name and signature"), styles["label"])],
            [Paragraph(_text(", ".join(sheet.trainers)), styles["cell"])],
            [""],
        ],
        colWidths=[85 * mm],
        rowHeights=[None, None, 20 * mm],
    )
    signature_box.setStyle(
        TableStyle([("BOX", (0, 0), (-1, -1), 0.8, INK), ("LEFTPADDING", (0, 0), (-1, -1), 5)])
    )
    block = Table([[present, signature_box]], colWidths=[CONTENT_WIDTH - 85 * mm, 85 * mm])
    block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [block]


def _numbered_canvas(footer, font_name):
    """A canvas that writes "page x of y" and the footer once the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for page in self._pages:
                self.__dict__.update(page)
                self.setFont(font_name, 8)
                self.setFillColor(MUTED)
                self.drawString(MARGIN + FRAME_PADDING, MARGIN, footer)
                self.drawRightString(
                    PAGE_WIDTH - MARGIN - FRAME_PADDING,
                    MARGIN,
                    _("Page %(page)d of %(total)d") % {"page": self._pageNumber, "total": total},
                )
                super().showPage()
            super().save()

    return NumberedCanvas
