"""CSV and XLSX exports: the known figures, read back; formulas neutralised; numbers kept numbers."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy

from apps.reports.exports import safe_cell, sheet_title

from .conftest import EVIL_COURSE, EVIL_MODEL, EVIL_NEIGHBOURHOOD, EXPECTED, PHONE_LIKE_COURSE, QUERY

pytestmark = pytest.mark.django_db


def body(response):
    assert response.status_code == 200, response.content[:300] if not response.streaming else ""
    return b"".join(response.streaming_content) if response.streaming else response.getvalue()


def read_csv(response):
    assert response.streaming, "a CSV export streams"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def read_xlsx(response):
    return openpyxl.load_workbook(io.BytesIO(body(response)))


def table_url(key, extension, query=QUERY):
    return reverse("reports:table_export", args=[key, extension]) + "?" + query


@pytest.mark.parametrize("text", ["=1+1", "+33 6 12 34 56 78", "-2+3", "@SUM(A1)", "\tcmd", "\r=1"])
def test_formulas_are_neutralised(text):
    assert safe_cell(text) == "'" + text


def test_numbers_and_plain_text_stay_as_they_are():
    for value in (12, -3, 2.5, Decimal("-1.50"), None, date(2025, 1, 1), "Les Buers", "", "a=b"):
        assert safe_cell(value) == value
    assert safe_cell(gettext_lazy("=lazy")) == "'=lazy"
    assert sheet_title("Households: by gender / age [QPV]?") == "Households  by gender   age  QP"


def test_table_csv_has_the_known_figures(client_as, coordinator, seeded, in_english):
    client = client_as(coordinator)
    summary = dict(read_csv(client.get(table_url("summary", "csv")))[1:])
    assert summary["Devices collected"] == str(EXPECTED["devices_collected"])
    assert summary["Devices made ready"] == str(EXPECTED["devices_ready"])
    assert summary["Devices recycled or destroyed"] == str(EXPECTED["devices_recycled"])
    assert summary["Kilograms diverted from waste (recycled or destroyed)"] == "3.00"
    assert summary["Hand-overs"] == str(EXPECTED["handovers"])
    assert summary["Households enrolled"] == str(EXPECTED["households_enrolled"])
    assert summary["Households that completed their course"] == str(EXPECTED["households_completed"])
    assert summary["Households equipped"] == str(EXPECTED["households_equipped"])
    assert summary["Attendance rate (%)"] == "70.0"

    rows = read_csv(client.get(table_url("neighbourhoods", "csv")))
    assert rows == [
        ["Neighbourhood", "QPV", "Referred", "Enrolled", "Completed", "Equipped"],
        ["'" + EVIL_NEIGHBOURHOOD, "No", "1", "1", "1", "1"],
        ["Les Buers", "Yes", "4", "3", "2", "1"],
        ["Total", "", "5", "4", "3", "2"],
    ]
    flows = read_csv(client.get(table_url("flows", "csv")))
    assert flows[-1] == ["Total", "6", "4", "2"]
    funnel = read_csv(client.get(table_url("funnel", "csv")))
    assert funnel[1] == ["Collected", "6", "11.00"]
    assert funnel[2] == ["Made ready", "4", ""]


def test_unknown_table_is_a_404(client_as, coordinator):
    assert client_as(coordinator).get(table_url("salaries", "csv")).status_code == 404


def test_handover_list_csv(client_as, coordinator, seeded, in_english):
    rows = read_csv(client_as(coordinator).get(reverse("reports:handovers", args=["csv"]) + "?" + QUERY))
    header, lines = rows[0], rows[1:]
    assert header[:3] == ["Allocation no.", "Handed over on", "Kind"]
    assert "Awa Diallo" not in str(rows)  # no personal data: the household is a number
    # The hand-over in the first minutes of the period and the one on its last evening;
    # not the one in the first minutes after it.
    assert [(line[0], line[1]) for line in lines] == [
        (f"{seeded.a3_alloc.pk:05d}", "2025-01-01"),
        (f"{seeded.a1_alloc.pk:05d}", "2025-03-31"),
    ]
    first, last = (dict(zip(header, line, strict=True)) for line in lines)
    assert first["Course"] == "'" + EVIL_COURSE
    assert first["Neighbourhood"] == "'" + EVIL_NEIGHBOURHOOD
    assert first["Status today"] == "Returned"
    assert last["Course"] == "'" + PHONE_LIKE_COURSE  # text that looks like a number is text
    assert last["Model"] == "'" + EVIL_MODEL
    assert last["Household no."] == str(seeded.h1.pk)
    assert last["Weight (kg)"] == "2.00"
    assert (last["Kind"], last["QPV"], last["Gender"], last["Age bracket"]) == (
        "Gift",
        "Yes",
        "Female",
        "26 to 44",
    )
    assert len({line[0] for line in lines}) == EXPECTED["handovers"]


def test_table_xlsx_keeps_numbers_numeric(client_as, coordinator, seeded, in_english):
    client = client_as(coordinator)
    sheet = read_xlsx(client.get(table_url("summary", "xlsx"))).active
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["Devices collected"] == EXPECTED["devices_collected"]
    assert values["Devices handed over"] == EXPECTED["devices_handed_over"]
    assert values["Hand-overs"] == EXPECTED["handovers"]
    assert values["Households equipped"] == EXPECTED["households_equipped"]
    assert values["Kilograms diverted from waste (recycled or destroyed)"] == pytest.approx(3.0)
    assert values["Attendance rate (%)"] == pytest.approx(70.0)
    assert sheet["B2"].data_type == "n"

    sheet = read_xlsx(client.get(table_url("neighbourhoods", "xlsx"))).active
    assert sheet["A2"].value == "'" + EVIL_NEIGHBOURHOOD and sheet["A2"].data_type == "s"
    assert [cell.value for cell in sheet[4]] == ["Total", None, 5, 4, 3, 2]


def test_handover_list_xlsx(client_as, coordinator, seeded, in_english):
    response = client_as(coordinator).get(reverse("reports:handovers", args=["xlsx"]) + "?" + QUERY)
    assert response["Content-Disposition"].startswith('attachment; filename="handovers-2025-01-01-2025-03-31')
    sheet = read_xlsx(response).active
    rows = list(sheet.iter_rows(values_only=True))
    header, lines = rows[0], rows[1:]
    assert len(lines) == EXPECTED["devices_handed_over"]
    first = dict(zip(header, lines[0], strict=True))
    assert first["Handed over on"] == datetime(2025, 1, 1)
    assert first["Course"] == "'" + EVIL_COURSE
    assert first["Weight (kg)"] == pytest.approx(1.5)
    for row in sheet.iter_rows(min_row=2):
        assert all(cell.data_type != "f" for cell in row)  # no formula anywhere


def test_handover_list_xlsx_looks_as_before(client_as, coordinator, seeded, in_english):
    """What the coordinator sees when the file opens: a bold header kept in view, the column
    widths, dates and weights shown as such; a control character in a model name (XML cannot
    carry it) is dropped rather than failing the export."""
    type(seeded.a1).objects.filter(pk=seeded.a1.pk).update(model="Lati\x01tude")
    response = client_as(coordinator).get(reverse("reports:handovers", args=["xlsx"]) + "?" + QUERY)
    sheet = read_xlsx(response).active
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.column_dimensions["A"].width == 12 and sheet.column_dimensions["E"].width == 30
    header = [cell.value for cell in sheet[1]]
    lines = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert all(line["Handed over on"].number_format == "yyyy-mm-dd" for line in lines)
    assert all(line["Weight (kg)"].number_format == "0.00" for line in lines)
    assert "Latitude" in {line["Model"].value for line in lines}


def test_workbook_has_every_table(client_as, coordinator, seeded, in_english):
    workbook = read_xlsx(client_as(coordinator).get(reverse("reports:report_xlsx") + "?" + QUERY))
    assert len(workbook.sheetnames) == 14
    about = workbook.worksheets[0]
    assert about["B2"].value == datetime(2025, 1, 1)
    funnel = workbook["Device funnel in the period"]
    assert funnel["B2"].value == EXPECTED["devices_collected"]


def test_a_structure_filter_reaches_the_exports(client_as, coordinator, seeded, mediatheque, in_english):
    query = f"{QUERY}&structure={mediatheque.pk}"
    rows = read_csv(client_as(coordinator).get(reverse("reports:handovers", args=["csv"]) + "?" + query))
    assert [line[0] for line in rows[1:]] == [f"{seeded.a1_alloc.pk:05d}"]


def test_bad_dates_are_refused(client_as, coordinator):
    response = client_as(coordinator).get(
        reverse("reports:handovers", args=["csv"]) + "?start=2025-02-30&end=x"
    )
    assert response.status_code == 400
