"""Shared building blocks for the printed documents (receipts, sheets, agreements, reports).

Every text that a user typed goes through ``para()``, which escapes it: reportlab's
Paragraph reads a small markup language, and a model name like "<b>" must print as typed.
"""

import functools
import io
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from django.utils import timezone
from django.utils.formats import date_format
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

PROGRAMME = "Ordi-pratique"

# Families' and donors' names come in many alphabets, and the PDF base fonts (Helvetica)
# print a black box for any letter outside Western European ones ("Yılmaz", "Nguyễn").
# DejaVu (Debian's fonts-dejavu-core) covers nearly all of them; reportlab's own Vera,
# always there, covers the Latin ones at least.
REPORTLAB_FONTS = Path(reportlab.__file__).parent / "fonts"
UNICODE_FONTS = [
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
    (REPORTLAB_FONTS / "Vera.ttf", REPORTLAB_FONTS / "VeraBd.ttf"),
]


@functools.cache
def fonts():
    """(regular, bold) font names for every document: the first Unicode font found,
    registered once."""
    for regular_path, bold_path in UNICODE_FONTS:
        if regular_path.exists() and bold_path.exists():
            pdfmetrics.registerFont(TTFont("DocSans", regular_path))
            pdfmetrics.registerFont(TTFont("DocSans-Bold", bold_path))
            return "DocSans", "DocSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def styles():
    regular, bold = fonts()
    sheet = getSampleStyleSheet()
    base = ParagraphStyle("base", parent=sheet["Normal"], fontName=regular, fontSize=9.5, leading=12.5)
    return {
        "title": ParagraphStyle(
            "title",
            parent=sheet["Title"],
            fontName=bold,
            fontSize=16,
            leading=20,
            alignment=0,
            spaceAfter=4,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=bold,
            fontSize=11.5,
            leading=15,
            spaceBefore=8,
            spaceAfter=4,
        ),
        "body": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=8, leading=10, textColor=colors.HexColor("#333333")
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=bold, fontSize=8.5, leading=10.5),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
    }


def para(text, style):
    """A paragraph of plain text (escaped), line breaks kept."""
    return Paragraph(escape(str(text if text is not None else "")).replace("\n", "<br/>"), style)


def data_table(header, rows, col_widths, *, repeat_header=True):
    """A ruled table whose cells wrap; ``rows`` hold plain strings or flowables."""
    st = styles()

    def cell(value, style):
        return value if hasattr(value, "wrap") else para(value, style)

    data = [[cell(h, st["cell_bold"]) for h in header]] + [[cell(v, st["cell"]) for v in row] for row in rows]
    table = Table(data, colWidths=col_widths, repeatRows=1 if repeat_header else 0, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#777777")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4e9ee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def facts_table(pairs, col_widths=(45 * mm, 125 * mm)):
    """Label/value lines without rules, for the head of a document."""
    st = styles()
    table = Table(
        [[para(k, st["cell_bold"]), para(v, st["cell"])] for k, v in pairs],
        colWidths=col_widths,
        hAlign="LEFT",
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def signature_blocks(labels, width=170 * mm):
    """Side-by-side boxes to sign in, one per party."""
    st = styles()
    cells = [[para(label, st["cell_bold"]) for label in labels], ["" for _ in labels]]
    table = Table(
        cells, colWidths=[width / len(labels)] * len(labels), rowHeights=[None, 28 * mm], hAlign="LEFT"
    )
    table.setStyle(
        TableStyle(
            [("BOX", (0, 1), (-1, 1), 0.5, colors.black), ("INNERGRID", (0, 1), (-1, 1), 0.5, colors.black)]
        )
    )
    return table


def render(flowables, *, title, footer_text="", pagesize=A4):
    """Lay out ``flowables`` on numbered pages and return the PDF bytes."""
    buffer = io.BytesIO()
    printed_on = date_format(timezone.localdate(), "SHORT_DATE_FORMAT")

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont(fonts()[0], 7.5)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.drawString(15 * mm, 10 * mm, f"{PROGRAMME} · {footer_text}"[:120])
        canvas.drawRightString(pagesize[0] - 15 * mm, 10 * mm, f"{printed_on} · {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=PROGRAMME,
    )
    doc.build(list(flowables), onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


__all__ = ["data_table", "facts_table", "mm", "para", "render", "signature_blocks", "Spacer", "styles"]
