"""The printable activity report: the dashboard's tables and charts on A4, for a funder.

Renders a ``figures.Report`` through the same tables as the screen and the exports
(``tables.report_tables``), with cells formatted by the same function, so every number
prints as it shows. Charts are reportlab drawings in shades of grey with their values
written on the bars, readable on a black and white printer.
"""

from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph

from apps.core import pdf
from apps.core.pdf import Spacer, mm

from . import tables as report_tables_module
from .tables import format_cell

PAGE_WIDTH = 180 * mm
GREYS = (colors.HexColor("#1e1e1e"), colors.HexColor("#8a8a8a"), colors.HexColor("#d4d4d4"))
# A chart stays on one page: bars get thinner down to MIN_BAR points, then it gives way to a note.
MAX_CHART_HEIGHT = 560
MIN_BAR = 5


def bar_drawing(categories, series, width=PAGE_WIDTH, bar=9):
    """Horizontal bars: ``series`` is a list of ``(label, values)``, one value per category."""
    categories = [str(c) if len(str(c)) <= 34 else str(c)[:33] + "…" for c in categories]
    group_gap = 7
    groups_height = len(categories) * (len(series) * bar + group_gap)
    legend_height = 16 if len(series) > 1 else 0
    label_room = max((stringWidth(c, pdf.fonts()[0], 8) for c in categories), default=20) + 10
    drawing = Drawing(width, groups_height + legend_height + 10)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_room, 4
    chart.width, chart.height = width - label_room - 40, groups_height
    # Within a group the bars stack upwards in series order: give them in reverse, so the
    # first series is the top bar, as in the legend.
    chart.data = [tuple(values) for _label, values in reversed(series)]
    chart.categoryAxis.categoryNames = categories
    chart.categoryAxis.reverseDirection = 1  # first category on top, as in the table
    chart.categoryAxis.labels.fontName = pdf.fonts()[0]
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max((v or 0 for _label, values in series for v in values), default=0) or 1
    chart.valueAxis.visible = 0  # the values are written on the bars
    chart.barSpacing = 1
    chart.groupSpacing = group_gap
    chart.barLabelFormat = format_cell
    chart.barLabels.fontName = pdf.fonts()[0]
    chart.barLabels.fontSize = min(8, bar)
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    for index in range(len(series)):
        chart.bars[index].fillColor = GREYS[(len(series) - 1 - index) % len(GREYS)]
        chart.bars[index].strokeColor = colors.black
        chart.bars[index].strokeWidth = 0.5
    drawing.add(chart)
    if len(series) > 1:
        legend = Legend()
        legend.x, legend.y = label_room, groups_height + legend_height + 6
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.deltax = 110
        legend.fontName, legend.fontSize = pdf.fonts()[0], 8
        legend.boxAnchor = "nw"
        legend.colorNamePairs = [(GREYS[i % len(GREYS)], str(label)) for i, (label, _v) in enumerate(series)]
        legend.strokeColor = colors.black
        legend.strokeWidth = 0.5
        legend.dx = legend.dy = 8
        drawing.add(legend)
    return drawing


def _styles():
    st = pdf.styles()
    st["section"] = ParagraphStyle("section", parent=st["title"], spaceBefore=12)
    st["table_title"] = ParagraphStyle("table_title", parent=st["h2"], keepWithNext=1)
    st["number"] = ParagraphStyle("number", parent=st["cell"], alignment=TA_RIGHT)
    return st


def _column_widths(table):
    """Each figure column as wide as its heading needs (within limits); the first takes the rest."""
    widths = [
        min(32 * mm, max(18 * mm, stringWidth(column.label, pdf.fonts()[1], 8.5) + 16))
        for column in table.columns[1:]
    ]
    return [PAGE_WIDTH - sum(widths), *widths]


def _table(table, st):
    rows = [
        [
            pdf.para(format_cell(value), st["number"] if column.numeric else st["cell"])
            for column, value in zip(table.columns, row, strict=True)
        ]
        for row in table.all_rows()
    ]
    return [
        pdf.para(table.title, st["table_title"]),
        pdf.data_table(table.header, rows, _column_widths(table)),
    ]


def _chart(chart, st):
    """The chart under its title, its bars thinner if need be to fit on a page; a note instead
    when even thin bars would not fit (the table that follows gives every figure). A list of
    flowables to keep together; empty when there is nothing to draw."""
    if not chart["categories"]:
        return []
    groups, series = len(chart["categories"]), len(chart["series"])
    bar = min(9, (MAX_CHART_HEIGHT / groups - 7) / series)
    if bar < MIN_BAR:
        return [pdf.para(_("Too many lines for a chart: the table below gives every figure."), st["small"])]
    drawing = bar_drawing(chart["categories"], chart["series"], bar=bar)
    return [
        Spacer(1, 3 * mm),
        pdf.para(chart["title"], st["body"]),
        Spacer(1, 1 * mm),
        drawing,
        Spacer(1, 3 * mm),
    ]


def report_pdf(report):
    """The activity report as PDF bytes, with the tables and charts of the dashboard."""
    st = _styles()
    tables = report_tables_module.report_tables(report)
    charts = report_tables_module.chart_data(report, tables)
    period = _("%(start)s to %(end)s") % {
        "start": date_format(report.period.start, "DATE_FORMAT"),
        "end": date_format(report.period.end, "DATE_FORMAT"),
    }
    scope = str(report.structure) if report.structure else _("All partner structures")
    story = [
        pdf.para(_("Activity report"), st["title"]),
        pdf.facts_table(
            [
                (_("Period"), period),
                (_("Structure"), scope),
                (_("Printed on"), date_format(timezone.localdate(), "DATE_FORMAT")),
            ]
        ),
        Spacer(1, 2 * mm),
    ]
    story += _table(tables["summary"], st)

    def section(title, *items):
        """A heading and its charts (lists of flowables) and tables (keys); the heading goes
        to the next page with its first chart or table, never alone at the foot of a page."""
        blocks = [
            item if isinstance(item, list) else _table(tables[item], st) for item in items if item != []
        ]
        story.append(CondPageBreak(60 * mm))
        story.append(KeepTogether([pdf.para(title, st["section"]), *blocks[0]]))
        story.extend(KeepTogether(block) for block in blocks[1:])

    section(_("Devices"), _chart(charts["funnel"], st), "funnel", "stock", "delays")
    section(_("Flows per month"), _chart(charts["flows"], st), "flows")
    section(_("Hand-overs"), "handovers")
    section(
        _("Households"),
        _chart(charts["households"], st),
        "households",
        _chart(charts["neighbourhoods"], st),
        "neighbourhoods",
        "referrers",
        "genders",
        "age_brackets",
    )
    section(_("Training and follow-up"), "training", "follow_ups")
    story.append(pdf.para(_("How these figures are counted"), st["table_title"]))
    for term, text in report_tables_module.definitions():
        story.append(Paragraph(f"<b>{escape(str(term))}</b>: {escape(str(text))}", st["small"]))
        story.append(Spacer(1, 1 * mm))
    return pdf.render(
        story, title=_("Activity report"), footer_text=f"{_('Activity report')} · {period} · {scope}"
    )
