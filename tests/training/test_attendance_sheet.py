"""The attendance sheet (feuille d'émargement): what it prints, read back from the PDF."""

from datetime import datetime

import pypdfium2
import pytest
from django.utils import timezone

from apps.training import selectors
from apps.training.attendance_sheet import AttendanceSheet, SheetLine, render_attendance_sheet
from tests.factories import CourseFactory, EnrolmentFactory, HouseholdFactory, SessionFactory

pytestmark = pytest.mark.usefixtures("in_english")


def pdf_text(pdf):
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [document[index].get_textpage().get_text_range() for index in range(len(document))]
    finally:
        document.close()


def sheet(lines, **changes):
    return AttendanceSheet(
        **{
            "course_title": "Premiers pas numériques",
            "structure_name": "Médiathèque Louise-Michel",
            "topic": "Online access to rights · CAF",
            "date": "Tuesday 4 March 2025",
            "time": "14:00 – 16:00",
            "place": "Salle multimédia",
            "trainers": ("Claire Dumont",),
            "lines": tuple(lines),
            **changes,
        }
    )


def test_the_sheet_states_the_session_and_lists_each_household_with_its_size():
    pages = pdf_text(
        render_attendance_sheet(sheet([SheetLine("Fatima Benali", 4), SheetLine("Karim Haddad", 2)]))
    )

    assert len(pages) == 1
    text = " ".join(pages[0].split())
    for expected in [
        "Attendance sheet",
        "Médiathèque Louise-Michel",
        "Premiers pas numériques",
        "Online access to rights · CAF",
        "Tuesday 4 March 2025",
        "14:00 – 16:00",
        "Salle multimédia",
        "Claire Dumont",
        "Contact person",
        "Signature",
        "Fatima Benali",
        "Karim Haddad",
        "Trainer's name and signature",
        "Households present: ______ out of 2",
        "Page 1 of 1",
    ]:
        assert expected in text, expected


def test_names_are_printed_as_typed_never_read_as_markup():
    pages = pdf_text(
        render_attendance_sheet(sheet([SheetLine("<b>Dupont & Fils</b>", 1)], place="Salle <i>B</i>"))
    )

    assert "<b>Dupont & Fils</b>" in pages[0]
    assert "Salle <i>B</i>" in pages[0]


def test_names_in_other_alphabets_print_without_missing_glyphs():
    pages = pdf_text(
        render_attendance_sheet(sheet([SheetLine("Mehmet Yılmaz", 6), SheetLine("Łucja Kowalska", 3)]))
    )

    assert "Mehmet Yılmaz" in pages[0]
    assert "Łucja Kowalska" in pages[0]


def test_a_long_list_runs_over_pages_with_the_header_repeated():
    lines = [SheetLine(f"Famille {number:02d}", 3) for number in range(1, 31)]

    pages = pdf_text(render_attendance_sheet(sheet(lines)))

    assert len(pages) == 2
    assert "Famille 30" in pages[1]
    assert "Contact person" in pages[1]
    assert "Page 2 of 2" in pages[1]


@pytest.mark.django_db
def test_the_sheet_of_a_session_lists_the_households_enrolled_now(trainer):
    course = CourseFactory(title="Parcours printemps", structure=trainer.structure, trainers=[trainer])
    session = SessionFactory(
        course=course,
        topic="online_rights",
        title="CAF",
        starts_at=timezone.make_aware(
            datetime.combine(course.starts_on, datetime.min.time()).replace(hour=14)
        ),
        duration_minutes=90,
    )
    EnrolmentFactory(course=course, household=HouseholdFactory(contact_name="Zoé Martin", size=2))
    EnrolmentFactory(course=course, household=HouseholdFactory(contact_name="Ali Ben Saïd", size=5))
    EnrolmentFactory(course=course, household=HouseholdFactory(contact_name="Sur Liste"), status="waiting")

    data = selectors.attendance_sheet_of(session)

    assert data.lines == (SheetLine("Ali Ben Saïd", 5), SheetLine("Zoé Martin", 2))
    assert (data.course_title, data.topic, data.time) == (
        "Parcours printemps",
        "Online access to rights · CAF",
        "14:00 – 15:30",
    )
    assert data.trainers == (str(trainer),)
    assert data.structure_name == trainer.structure.name
