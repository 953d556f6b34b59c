"""CSV and XLSX files of the report's tables and of the raw hand-over list.

Both stream: the CSV row by row from the database cursor (``StreamingHttpResponse``), the
XLSX row by row into a temporary file (see ``xlsx_response``) rather than into memory. Every
cell goes through ``safe_cell()`` first.
"""

import csv
import re
import tempfile
import zipfile
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from . import selectors, tables

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet runs a cell that starts with one of these as a formula (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as an export cell: text that a spreadsheet would run as a formula gets a
    leading apostrophe, so it shows as typed; numbers, dates and empty cells stay as they are."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_value(value):
    value = safe_cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return value


class _Echo:
    """A file that hands back what is written: the csv module formats one row at a time."""

    def write(self, value):
        return value


def csv_response(filename, header, rows):
    """A streamed CSV (UTF-8 with a byte order mark, so spreadsheets read the accents)."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"
        yield writer.writerow([_csv_value(cell) for cell in header])
        for row in rows:
            yield writer.writerow([_csv_value(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The XLSX writer. openpyxl's write-only workbook built a ``Cell`` and serialised it element
# by element for every value: 37 s of CPU for the 58,847 x 17 cells of ten years of
# hand-overs (bench, scale 1). XlsxWriter's constant-memory mode only halves that and lxml
# saves ~15 %, so rows are written here as SpreadsheetML text, straight into the zip entry:
# ~3 s for the same file, constant memory. Strings are inline, as XlsxWriter writes them in
# that mode; the style sheet is fixed (_STYLES). Deflate level 1: 0.4 s less than level 6
# for a file a quarter bigger. The tests read the files back with openpyxl.

_STYLES = {  # cellXfs index of each kind of cell (see _STYLES_XML)
    "bold": 1,
    date: 2,
    datetime: 3,
    Decimal: 4,
    float: 5,
}
_STYLES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="4"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/>'
    '<numFmt numFmtId="166" formatCode="0.00"/><numFmt numFmtId="167" formatCode="0.0"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Characters XML 1.0 cannot carry (openpyxl refused them with IllegalCharacterError).
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NEEDS_ESCAPE = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]')
_EXCEL_EPOCH_DAYS = date(1899, 12, 30).toordinal()
_ROWS_PER_WRITE = 500


def _text(value):
    """``value`` escaped for an XML text node or attribute."""
    if _NEEDS_ESCAPE.search(value) is None:  # nearly always: no copy
        return value
    value = _ILLEGAL_XML.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _xlsx_cell(ref, value, style=0):
    """One ``<c>`` element, or "" for an empty cell. Dates and times become Excel serial
    numbers (local time, no time zone) with a date format; numbers stay numbers."""
    if type(value) is not str or value.startswith(FORMULA_PREFIXES):  # plain text: most cells
        value = safe_cell(value)
    if isinstance(value, str):
        if not value:
            return ""
        s = f' s="{style}"' if style else ""
        return f'<c r="{ref}" t="inlineStr"{s}><is><t xml:space="preserve">{_text(value)}</t></is></c>'
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        serial = (
            local.toordinal()
            - _EXCEL_EPOCH_DAYS
            + (local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6) / 86400
        )
        text = repr(serial)
        style = style or _STYLES[datetime]
    elif isinstance(value, date):
        text = str(value.toordinal() - _EXCEL_EPOCH_DAYS)
        style = style or _STYLES[date]
    elif isinstance(value, Decimal):
        if not value.is_finite():
            return ""
        text = format(value, "f")
        style = style or _STYLES[Decimal]
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        text = repr(value)
        style = style or _STYLES[float]
    elif isinstance(value, int):
        text = str(value)
    else:
        return _xlsx_cell(ref, str(value), style)
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s}><v>{text}</v></c>'


def sheet_title(text):
    """A worksheet name Excel accepts: 31 characters at most, none of ``[]:*?/\\``."""
    return re.sub(r"[\[\]:*?/\\]", " ", str(text))[:31].strip() or "Sheet"


def _unique_title(title, taken):
    """``title``, or ``title`` with a number if a sheet already has it (Excel ignores case)."""
    number = 1
    candidate = title
    while candidate.lower() in taken:
        suffix = str(number)
        candidate = title[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(candidate.lower())
    return candidate


def _sheet_xml(header, rows, widths):
    """The worksheet as text chunks, a few hundred rows at a time: the bold header row kept
    in view, the column widths, then the rows."""
    letters = [get_column_letter(index + 1) for index in range(len(header))]
    cols = "".join(
        f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>'
        for index, width in enumerate(widths, start=1)
    )
    yield (
        f'{_XML_HEAD}<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + "<sheetData>"
        + '<row r="1">'
        + "".join(
            _xlsx_cell(f"{letters[index]}1", label, _STYLES["bold"]) for index, label in enumerate(header)
        )
        + "</row>"
    )
    chunk = []
    for number, row in enumerate(rows, start=2):
        if len(row) > len(letters):
            letters += [get_column_letter(index + 1) for index in range(len(letters), len(row))]
        cells = "".join([_xlsx_cell(f"{letters[index]}{number}", value) for index, value in enumerate(row)])
        chunk.append(f'<row r="{number}">{cells}</row>')
        if len(chunk) >= _ROWS_PER_WRITE:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk) + "</sheetData></worksheet>"


def _package_parts(titles):
    """The parts of the file other than the worksheets and the style sheet."""
    sheet_types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, len(titles) + 1)
    )
    yield (
        "[Content_Types].xml",
        (
            f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{sheet_types}</Types>"
        ),
    )
    yield (
        "_rels/.rels",
        (
            f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}"><Relationship Id="rId1" Type="'
            f'{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
    )
    sheets = "".join(
        f'<sheet name="{_text(title)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, title in enumerate(titles, start=1)
    )
    yield (
        "xl/workbook.xml",
        (
            f'{_XML_HEAD}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
            f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets></workbook>'
        ),
    )
    relations = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(titles) + 1)
    )
    yield (
        "xl/_rels/workbook.xml.rels",
        (
            f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">{relations}'
            f'<Relationship Id="rId{len(titles) + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
    )
    yield "xl/styles.xml", _STYLES_XML


def xlsx_response(filename, sheets):
    """An XLSX file with one worksheet per ``(title, header, rows, widths)``; ``widths`` gives
    column widths in characters (or is empty). The header row is bold and stays in view.

    The rows are consumed once, as each worksheet is written into a temporary file; memory
    stays the same whatever their number."""
    sheets = list(sheets)
    taken = set()
    titles = [_unique_title(sheet_title(title), taken) for title, _header, _rows, _widths in sheets]
    file = tempfile.TemporaryFile()
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, text in _package_parts(titles):
            package.writestr(name, text)
        for number, (_title, header, rows, widths) in enumerate(sheets, start=1):
            with package.open(f"xl/worksheets/sheet{number}.xml", "w") as part:
                for text in _sheet_xml(header, rows, widths):
                    part.write(text.encode("utf-8"))
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def table_widths(table):
    return [44 if not column.numeric else 16 for column in table.columns]


def filename(stem, period, structure, extension):
    """``handovers-2025-01-01-2025-03-31-structure4.csv``: what, when, for whom."""
    scope = f"-structure{structure.pk}" if structure is not None else ""
    return f"{stem}-{period.start.isoformat()}-{period.end.isoformat()}{scope}.{extension}"


def handover_file(period, structure, extension):
    """The raw hand-over list as a streamed CSV or an XLSX file: for the screen and the API."""
    lines = selectors.handover_lines(period, structure).iterator(chunk_size=2000)
    rows = tables.handover_rows(lines)
    name = filename("handovers", period, structure, extension)
    if extension == "csv":
        return csv_response(name, tables.handover_header(), rows)
    return xlsx_response(name, [(_("Hand-overs"), tables.handover_header(), rows, tables.HANDOVER_WIDTHS)])
