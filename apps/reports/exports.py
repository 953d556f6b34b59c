"""CSV and XLSX files of the report's tables and of the raw hand-over list.

Both stream: the CSV row by row from the database cursor (``StreamingHttpResponse``), the
XLSX through openpyxl's write-only workbook, which keeps rows in a temporary file rather
than in memory. Every cell goes through ``safe_cell()`` first.
"""

import csv
import re
import tempfile
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
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


def _xlsx_cell(sheet, value, *, bold=False):
    value = safe_cell(value)
    if isinstance(value, datetime):
        value = timezone.localtime(value).replace(tzinfo=None)
    cell = WriteOnlyCell(sheet, value=value)
    if bold:
        cell.font = Font(bold=True)
    if isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, Decimal):
        cell.number_format = "0.00"
    elif isinstance(value, float):
        cell.number_format = "0.0"
    return cell


def sheet_title(text):
    """A worksheet name Excel accepts: 31 characters at most, none of ``[]:*?/\\``."""
    return re.sub(r"[\[\]:*?/\\]", " ", str(text))[:31].strip() or "Sheet"


def xlsx_response(filename, sheets):
    """An XLSX file with one worksheet per ``(title, header, rows, widths)``; ``widths`` gives
    column widths in characters (or is empty). The header row is bold and stays in view."""
    workbook = Workbook(write_only=True)
    for title, header, rows, widths in sheets:
        sheet = workbook.create_sheet(title=sheet_title(title))
        sheet.freeze_panes = "A2"
        for index, width in enumerate(widths):
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        sheet.append([_xlsx_cell(sheet, label, bold=True) for label in header])
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    file = tempfile.TemporaryFile()
    workbook.save(file)
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
