"""Course, session, enrolment and attendance screens."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.views import PICK_LIST_SIZE
from apps.training.models import Attendance, Course, Enrolment, Session
from tests.factories import (
    AttendanceFactory,
    CourseFactory,
    EnrolmentFactory,
    HouseholdFactory,
    SessionFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

COURSES_URL = reverse("training:course_list")


def screens_of(course, session, enrolment):
    """Every training screen about one course, by name and URL."""
    return {
        "course_detail": course.get_absolute_url(),
        "course_update": reverse("training:course_update", args=[course.pk]),
        "session_create": reverse("training:session_create", args=[course.pk]),
        "enrolment_create": reverse("training:enrolment_create", args=[course.pk]),
        "session_detail": session.get_absolute_url(),
        "session_update": reverse("training:session_update", args=[session.pk]),
        "session_sheet": reverse("training:session_sheet", args=[session.pk]),
        "enrolment_withdraw": reverse("training:enrolment_withdraw", args=[enrolment.pk]),
    }


@pytest.fixture
def course_screens(course, sessions):
    return screens_of(course, sessions[0], EnrolmentFactory(course=course))


def test_a_trainer_of_another_structure_gets_404_on_every_screen_of_the_course(
    client_as, other_trainer, course_screens
):
    client = client_as(other_trainer)
    for name, url in course_screens.items():
        assert client.get(url).status_code == 404, name
    session_pk = course_screens["session_detail"].rstrip("/").rsplit("/", 1)[1]
    assert client.post(reverse("training:session_attendance", args=[session_pk]), {}).status_code == 404


def test_technicians_get_403_on_every_training_screen(client_as, technician, course_screens):
    client = client_as(technician)
    for name, url in {**course_screens, "course_list": COURSES_URL}.items():
        assert client.get(url).status_code == 403, name


def test_coordinators_see_every_course_but_change_nothing(client_as, coordinator, course_screens, course):
    client = client_as(coordinator)
    assert course.title in client.get(COURSES_URL).content.decode()
    for name in ["course_detail", "session_detail", "session_sheet"]:
        assert client.get(course_screens[name]).status_code == 200, name
    for name in ["course_update", "session_create", "enrolment_create", "enrolment_withdraw"]:
        assert client.get(course_screens[name]).status_code == 403, name


def test_a_trainer_lists_only_their_structures_courses(client_as, trainer, other_trainer, course):
    CourseFactory(title="Parcours d'ailleurs", structure=other_trainer.structure)

    html = client_as(trainer).get(COURSES_URL).content.decode()

    assert course.title in html
    assert "Parcours d'ailleurs" not in html


def test_creating_a_course_for_the_trainers_structure(client_as, trainer):
    data = {
        "title": "Parcours printemps",
        "place": "Médiathèque, salle 2",
        "starts_on": "2025-03-03",
        "ends_on": "2025-03-31",
        "capacity": "8",
        "min_sessions": "4",
        "trainers": [trainer.pk],
        "description": "",
    }

    response = client_as(trainer).post(reverse("training:course_create"), data, follow=True)

    course = Course.objects.get()
    assert response.redirect_chain[-1][0] == course.get_absolute_url()
    assert "Course “Parcours printemps” created. Now add its sessions." in response.content.decode()
    assert course.structure == trainer.structure
    assert list(course.trainers.all()) == [trainer]


def test_the_course_form_refuses_an_end_before_the_start(client_as, trainer):
    data = {"title": "X", "place": "Y", "starts_on": "2025-03-31", "ends_on": "2025-03-01", "capacity": "8"}

    response = client_as(trainer).post(reverse("training:course_create"), {**data, "min_sessions": "4"})

    assert response.status_code == 200
    assert "A course cannot end before it starts." in response.content.decode()
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"trainers": ["99999999999999999999"]}, "trainers"),
        ({"starts_on": "0001-01-01", "ends_on": "0001-01-31"}, "starts_on"),
        ({"ends_on": "9999-12-31"}, "ends_on"),
    ],
)
def test_the_course_form_refuses_forged_trainers_and_dates_centuries_off(client_as, trainer, changes, field):
    data = {"title": "X", "place": "Y", "starts_on": "2025-03-03", "ends_on": "2025-03-31", "capacity": "8",
            "min_sessions": "4", "trainers": [trainer.pk], **changes}  # fmt: skip

    response = client_as(trainer).post(reverse("training:course_create"), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Course.objects.exists()


def test_adding_sessions_and_refusing_one_outside_the_course(client_as, trainer, course):
    client = client_as(trainer)
    url = reverse("training:session_create", args=[course.pk])
    # Afternoons: a night-time hour may not exist (or exist twice) on the day clocks change.
    inside = (timezone.localtime() - timedelta(days=1)).replace(hour=14, minute=0)
    outside = (timezone.localtime() + timedelta(days=90)).replace(hour=14, minute=0)
    data = {"duration_minutes": "120", "topic": "online_rights", "title": "CAF", "place": ""}

    refused = client.post(url, {**data, "starts_at": outside.strftime("%Y-%m-%dT%H:%M")})
    added = client.post(url, {**data, "starts_at": inside.strftime("%Y-%m-%dT%H:%M")})

    assert "The session must take place between the course" in refused.content.decode()
    assert added.status_code == 302
    assert Session.objects.get().title == "CAF"


def test_enrolling_from_the_course_page_then_the_waiting_list(client_as, trainer, course, make_households):
    first, second, third = make_households(3)
    client = client_as(trainer)
    url = reverse("training:enrolment_create", args=[course.pk])

    page = client.get(course.get_absolute_url()).content.decode()
    assert f'action="{url}"' in page  # the search for a household to enrol
    assert f'name="household" value="{first.pk}"' in client.get(url).content.decode()

    for household in (first, second):
        assert client.post(url, {"household": household.pk}).status_code == 302
    response = client.post(url, {"household": third.pk}, follow=True)

    html = response.content.decode()
    assert f"The course is full: {third.contact_name} is on the waiting list (position 1)." in html
    assert "Waiting list" in html
    assert Enrolment.objects.get(household=third).status == "waiting"


def test_a_household_already_in_the_course_is_not_offered_again(client_as, trainer, course):
    enrolled = EnrolmentFactory(course=course, household=HouseholdFactory(structure=trainer.structure))
    client = client_as(trainer)
    url = reverse("training:enrolment_create", args=[course.pk])

    assert (
        enrolled.household
        not in client.get(url, {"q": enrolled.household.contact_name}).context["households"]
    )
    response = client.post(url, {"household": enrolled.household.pk})

    assert response.status_code == 200
    assert (
        "This household cannot be enrolled in this course: it is already in it" in response.content.decode()
    )
    assert course.enrolments.count() == 1


def test_enrolling_another_structures_household_is_refused_and_keeps_the_search(
    client_as, trainer, other_trainer, course
):
    theirs = HouseholdFactory(contact_name="Karim Ailleurs", structure=other_trainer.structure)
    url = reverse("training:enrolment_create", args=[course.pk])

    response = client_as(trainer).post(f"{url}?q=karim", {"household": theirs.pk})

    assert response.status_code == 200
    assert "This household cannot be enrolled in this course" in response.content.decode()
    assert response.context["text"] == "karim"
    assert not course.enrolments.exists()


def test_the_enrol_screen_finds_households_by_name_or_phone_and_lists_a_fixed_number(
    client_as, trainer, course, make_households
):
    karim = HouseholdFactory(contact_name="Karim Haddad", phone="06 11 22 33 44", structure=trainer.structure)
    others = make_households(3)
    elsewhere = HouseholdFactory(contact_name="Karim Autre")  # another structure's, never followed here
    client = client_as(trainer)
    url = reverse("training:enrolment_create", args=[course.pk])

    def listed(**params):
        return client.get(url, params).context["households"]

    assert listed() == [*reversed(others), karim]  # registered last first
    assert listed(q="karim") == [karim]
    assert listed(q="+33 6 11 22 33 44") == [karim]
    assert elsewhere not in listed(q="autre")

    with CaptureQueriesContext(connection) as with_few:
        client.get(url)
    make_households(PICK_LIST_SIZE)
    with CaptureQueriesContext(connection) as with_many:
        many = client.get(url)
    assert len(many.context["households"]) == PICK_LIST_SIZE and many.context["more"]
    assert "search by name or phone to find another" in many.content.decode()
    assert len(with_many) == len(with_few)


def test_withdrawing_from_the_screen_says_who_moves_up(client_as, trainer, course, make_households):
    leaving, _staying, waiting = (
        EnrolmentFactory(course=course, household=household, status=status)
        for household, status in zip(make_households(3), ["enrolled", "enrolled", "waiting"], strict=True)
    )
    client = client_as(trainer)
    url = reverse("training:enrolment_withdraw", args=[leaving.pk])

    assert "Its place goes to the first household on the waiting list" in client.get(url).content.decode()
    assert "This field is required." in client.post(url, {"reason": ""}).content.decode()
    response = client.post(url, {"reason": "Moved away"}, follow=True)

    html = response.content.decode()
    assert f"{leaving.household.contact_name} has withdrawn from the course." in html
    assert f"{waiting.household.contact_name} moves up from the waiting list and is now enrolled." in html
    assert "Moved away" in html
    assert "Dropped out" in html


def test_the_course_page_shows_who_has_completed_who_is_close_who_dropped_out(
    client_as, trainer, course, sessions
):
    done, close, gone = (
        EnrolmentFactory(
            course=course, household=HouseholdFactory(contact_name=name, structure=trainer.structure)
        )
        for name in ["Famille Assidue", "Famille Presque", "Famille Partie"]
    )
    for session in sessions[:2]:
        AttendanceFactory(session=session, enrolment=done)
    AttendanceFactory(session=sessions[0], enrolment=close)
    gone.status, gone.withdrawal_reason = "withdrawn", "Ill"
    gone.save()

    html = client_as(trainer).get(course.get_absolute_url()).content.decode()

    assert "2 / 3" in html and "1 / 3" in html
    assert '<span class="badge badge-ok">Completed</span>' in html
    assert '<span class="badge badge-warn">Close: one session short</span>' in html
    assert '<span class="badge badge-danger">Dropped out</span>' in html
    assert "attend at least 2 sessions of 3" in html


def attendance_post(client, session, household, present, **headers):
    return client.post(
        reverse("training:session_attendance", args=[session.pk]),
        {"household": household.pk, "present": "true" if present else "false"},
        **headers,
    )


def test_one_tap_with_htmx_saves_and_answers_the_row_and_the_count(client_as, trainer, course, sessions):
    first, second = (EnrolmentFactory(course=course) for _ in range(2))
    client = client_as(trainer)
    session = sessions[0]

    page = client.get(session.get_absolute_url()).content.decode()
    assert "0 present of 2" in page
    assert 'hx-post="' in page

    response = attendance_post(client, session, first.household, True, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="household-{first.household.pk}"' in html
    assert f'id="household-{second.household.pk}"' not in html
    assert 'aria-pressed="true"' in html
    assert 'hx-swap-oob="true"' in html and "1 present of 2" in html
    assert Attendance.objects.get(enrolment=first).present is True

    attendance_post(client, session, first.household, False, HTTP_HX_REQUEST="true")
    assert Attendance.objects.get(enrolment=first).present is False


def test_one_tap_without_javascript_posts_and_comes_back_to_the_row(client_as, trainer, course, sessions):
    enrolment = EnrolmentFactory(course=course)
    client = client_as(trainer)
    session = sessions[0]

    response = attendance_post(client, session, enrolment.household, True)

    assert response.status_code == 302
    assert response["Location"] == f"{session.get_absolute_url()}#household-{enrolment.household.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "1 present of 1" in page
    assert 'aria-pressed="true"' in page


def test_a_refused_tap_shows_why(client_as, trainer, course):
    enrolment = EnrolmentFactory(course=course)
    future = SessionFactory(course=course, starts_at=timezone.now() + timedelta(days=2))
    client = client_as(trainer)

    page = client.get(future.get_absolute_url()).content.decode()
    assert "attendance can be taken from its day" in page
    assert "aria-pressed" not in page

    response = attendance_post(client, future, enrolment.household, True, HTTP_HX_REQUEST="true")
    assert "attendance can be taken from its day" in response.content.decode()
    assert not Attendance.objects.exists()

    stranger = HouseholdFactory()
    response = attendance_post(client, future, stranger, True, follow=True)
    assert "This household is not enrolled in this course." in response.content.decode()


def test_the_attendance_screen_is_read_only_for_coordinators(client_as, coordinator, course, sessions):
    enrolment = EnrolmentFactory(course=course)
    client = client_as(coordinator)

    page = client.get(sessions[0].get_absolute_url()).content.decode()
    assert enrolment.household.contact_name in page
    assert "aria-pressed" not in page
    assert attendance_post(client, sessions[0], enrolment.household, True).status_code == 403


def test_the_attendance_sheet_is_a_pdf(client_as, trainer, course, sessions):
    EnrolmentFactory(course=course)

    response = client_as(trainer).get(reverse("training:session_sheet", args=[sessions[0].pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert 'inline; filename="emargement-' in response["Content-Disposition"]


@pytest.mark.parametrize("page", ["course_list", "course_detail", "session_detail"])
def test_pages_run_as_many_queries_for_20_rows_as_for_1(client_as, trainer, queries_do_not_grow, page):
    course = CourseFactory(structure=trainer.structure, trainers=[trainer])
    session = SessionFactory(course=course)
    url = {
        "course_list": COURSES_URL,
        "course_detail": course.get_absolute_url(),
        "session_detail": session.get_absolute_url(),
    }[page]

    def add_rows(count):
        for _ in range(count):
            other = CourseFactory(structure=trainer.structure, trainers=[trainer])
            SessionFactory(course=course)
            enrolment = EnrolmentFactory(
                course=course, household=HouseholdFactory(structure=trainer.structure)
            )
            AttendanceFactory(session=session, enrolment=enrolment)
            EnrolmentFactory(course=other)

    client = client_as(trainer)
    add_rows(1)

    queries_do_not_grow(lambda: client.get(url), lambda: add_rows(19))


@pytest.mark.parametrize("others", [0, 10])
def test_withdrawing_costs_the_same_queries_however_full_the_course(
    client_as, trainer, make_households, django_assert_num_queries, others
):
    """The screen reads the enrolment with its course and household in one query, and the
    message names the households the withdrawal already loaded: none is read on its own."""
    course = CourseFactory(structure=trainer.structure, trainers=[trainer], capacity=1 + others)
    statuses = ["enrolled", "waiting"] + ["enrolled", "waiting"] * others
    leaving, next_in_line, *_ = (
        EnrolmentFactory(course=course, household=household, status=status)
        for household, status in zip(make_households(len(statuses)), statuses, strict=True)
    )
    url = reverse("training:enrolment_withdraw", args=[leaving.pk])
    client = client_as(trainer)
    client.get(url)

    # 3 for the request (session, user, permissions and role), 1 for the enrolment, 23 in the
    # service: its locks, the reservations to cancel (none here) and, for each of the two
    # moves, the checks, the row and its history.
    with django_assert_num_queries(27):
        response = client.post(url, {"reason": "Moved away"})

    assert response.status_code == 302
    [message] = get_messages(response.wsgi_request)
    assert message.message == (
        f"{leaving.household.contact_name} has withdrawn from the course. "
        f"{next_in_line.household.contact_name} moves up from the waiting list and is now enrolled."
    )
