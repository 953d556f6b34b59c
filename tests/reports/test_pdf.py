"""The printable activity report: the known figures in the PDF's own text."""

import pypdfium2
import pytest
from django.urls import reverse

from apps.reports.documents import report_pdf
from apps.reports.selectors import report_figures

from .conftest import EVIL_NEIGHBOURHOOD, EXPECTED, PERIOD, QUERY

pytestmark = pytest.mark.django_db


def pdf_lines(content):
    document = pypdfium2.PdfDocument(content)
    lines = []
    for page in document:
        lines += [line.strip() for line in page.get_textpage().get_text_range().splitlines()]
    return len(document), lines


def test_pdf_has_the_known_figures(client_as, coordinator, seeded, in_english):
    response = client_as(coordinator).get(reverse("reports:report_pdf") + "?" + QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="report-2025-01-01-2025-03-31.pdf"'
    pages, lines = pdf_lines(response.content)
    assert pages >= 3
    for line in [
        "Activity report",
        "Period Jan. 1, 2025 to March 31, 2025",
        f"Devices collected {EXPECTED['devices_collected']}",
        f"Devices made ready {EXPECTED['devices_ready']}",
        f"Devices handed over {EXPECTED['devices_handed_over']}",
        f"Devices recycled or destroyed {EXPECTED['devices_recycled']}",
        "Kilograms diverted from waste (recycled or destroyed) 3.00",
        "Kilograms reused (handed over) 3.50",
        f"Hand-overs {EXPECTED['handovers']}",
        f"Households referred {EXPECTED['households_referred']}",
        f"Households enrolled {EXPECTED['households_enrolled']}",
        f"Households that completed their course {EXPECTED['households_completed']}",
        f"Households equipped {EXPECTED['households_equipped']}",
        "Attendance rate (%) 70.0",
        "Completion rate (%) 75.0",
        "Collected 6 11.00",
        "Collection → ready 32.5",
        "January 2025 5 0 1",
        "Total 6 4 2",
        "Gift 2 2",
        f"{EVIL_NEIGHBOURHOOD} No 1 1 1 1",
        "Les Buers Yes 4 3 2 1",
        "Not given 2 1 0 0",
        "Sessions held 4",
        "Contacts that reached the household 2",
        "How these figures are counted",
    ]:
        assert line in lines, line


def test_pdf_for_an_empty_long_period_still_renders(db, in_english):
    from datetime import date

    from apps.reports.periods import Period

    content = report_pdf(report_figures(period=Period(date(2020, 1, 1), date(2025, 12, 31))))
    pages, lines = pdf_lines(content)
    assert "Devices collected 0" in lines
    assert "January 2020 0 0 0" in lines  # the table lists every month, without a chart


def test_pdf_of_a_structure_names_it(seeded, mediatheque, in_english):
    _pages, lines = pdf_lines(report_pdf(report_figures(period=PERIOD, structure=mediatheque)))
    assert f"Structure {mediatheque.name}" in lines
    assert "Hand-overs 1" in lines
