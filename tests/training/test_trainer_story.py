"""The issue's "done when", through the screens a trainer uses: a course with five sessions,
eight households enrolled (one likely duplicate caught), attendance at each session, the
attendance sheet, and who has met the completion rule."""

from datetime import timedelta

import pypdfium2
import pytest
from django.urls import reverse
from django.utils import timezone

from apps.households.models import Household
from apps.training.models import Course
from tests.factories import NeighbourhoodFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

NAMES = [
    "Fatima Benali",
    "Jean-Pierre Morel",
    "Aminata Diallo",
    "Thi Lan Nguyen",
    "Karim Haddad",
    "Sylvie Garnier",
    "Mehmet Yilmaz",
    "Élodie Petit",
]
# Sessions attended out of five, per household; the rule is "at least 4".
ATTENDED = [5, 4, 3, 3, 2, 5, 4, 0]


def test_a_trainer_runs_a_course_from_start_to_completion(client_as, trainer):
    client = client_as(trainer)
    buers = NeighbourhoodFactory(name="Les Buers")
    today = timezone.localdate()

    client.post(
        reverse("training:course_create"),
        {
            "title": "Premiers pas",
            "place": "Salle multimédia",
            "starts_on": (today - timedelta(days=35)).isoformat(),
            "ends_on": today.isoformat(),
            "capacity": "8",
            "min_sessions": "4",
            "trainers": [trainer.pk],
        },
    )
    course = Course.objects.get()
    for week in range(5):
        # An afternoon: at night, a date 35 days back may fall in the hour that happens twice
        # when summer time ends, which the form rightly refuses as ambiguous.
        starts_at = (timezone.localtime() - timedelta(days=35 - 7 * week)).replace(hour=14, minute=0)
        client.post(
            reverse("training:session_create", args=[course.pk]),
            {
                "starts_at": starts_at.strftime("%Y-%m-%dT%H:%M"),
                "duration_minutes": "120",
                "topic": "basic_use",
            },
        )
    sessions = list(course.sessions.order_by("starts_at"))
    assert len(sessions) == 5

    def register(name, phone, **extra):
        return client.post(
            reverse("households:household_create"),
            {
                "contact_name": name,
                "phone": phone,
                "neighbourhood": buers.pk,
                "size": "3",
                "children": "1",
                "referred_by": "ccas",
                "no_computer_at_home": "on",
                "consent_at": "2025-03-01T10:00",
                "consent_text": "J'accepte.",
                **extra,
            },
        )

    for number, name in enumerate(NAMES):
        assert register(name, f"06 39 98 00 {number:02d}").status_code == 302
    caught = register("BENALI Fatima", "+33 6 39 98 00 00")
    assert "Likely duplicate" in caught.content.decode()
    assert Household.objects.count() == 8

    for household in Household.objects.all():
        client.post(reverse("training:enrolment_create", args=[course.pk]), {"household": household.pk})
    assert course.enrolments.filter(status="enrolled").count() == 8

    households = {h.contact_name: h for h in Household.objects.all()}
    for name, attended in zip(NAMES, ATTENDED, strict=True):
        for index, session in enumerate(sessions):
            client.post(
                reverse("training:session_attendance", args=[session.pk]),
                {"household": households[name].pk, "present": "true" if index < attended else "false"},
                HTTP_HX_REQUEST="true",
            )

    sheet = client.get(reverse("training:session_sheet", args=[sessions[-1].pk]))
    text = pypdfium2.PdfDocument(sheet.content)[0].get_textpage().get_text_range()
    assert all(name in text for name in NAMES)

    page = client.get(course.get_absolute_url()).content.decode()
    assert page.count(">Completed</span>") == 4
    assert page.count(">Close: one session short</span>") == 2
    assert "4 households" in page
