"""/api/courses/, /api/sessions/, /api/enrolments/, /api/attendance/: contract, rules, scoping."""

from datetime import timedelta

import pytest
import yaml
from django.utils import timezone
from drf_spectacular.validation import validate_schema

from apps.training.models import Attendance, Course, Enrolment
from tests.factories import (
    AttendanceFactory,
    CourseFactory,
    EnrolmentFactory,
    HouseholdFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def test_course_fields_follow_the_contract(api_as, trainer, course):
    item = api_as(trainer).get("/api/courses/").json()["results"][0]

    assert {"title", "structure", "capacity", "starts_on", "ends_on", "min_sessions"} <= set(item)
    assert item["structure"] == trainer.structure.pk
    assert item["trainers"] == [trainer.pk]
    assert (item["capacity"], item["min_sessions"], item["enrolled_count"]) == (2, 2, 0)


def course_data(**fields):
    """A new course as the API takes it."""
    return {
        "title": "Parcours été",
        "place": "Médiathèque",
        "starts_on": "2025-06-02",
        "ends_on": "2025-06-30",
        "capacity": 8,
        "min_sessions": 4,
        **fields,
    }


def test_creating_a_course_defaults_to_the_trainers_structure(api_as, trainer):
    data = course_data(trainers=[trainer.pk])

    response = api_as(trainer).post("/api/courses/", data, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["structure"] == trainer.structure.pk
    assert response.json()["enrolled_count"] == 0
    assert Course.objects.get().history.first().history_user == trainer


def test_a_trainer_cannot_create_a_course_for_another_structure_nor_move_one(
    api_as, trainer, other_trainer, course
):
    data = course_data(title="X", place="Y", structure=other_trainer.structure.pk)
    client = api_as(trainer)

    refused = client.post("/api/courses/", data, format="json")
    assert refused.status_code == 400
    assert refused.json()["structure"] == ["You can only create courses for your own structure."]

    moved = client.patch(
        f"/api/courses/{course.pk}/", {"structure": other_trainer.structure.pk}, format="json"
    )
    assert moved.status_code == 400
    assert moved.json()["code"] == "immutable"


def test_a_colleague_without_the_trainer_role_cannot_be_named_trainer(api_as, trainer, course):
    receptionist = UserFactory(structure=trainer.structure, first_name="Léa", last_name="Martin")
    data = course_data(trainers=[trainer.pk, receptionist.pk])
    client = api_as(trainer)
    expected = {
        "trainers": ["Léa Martin does not have the trainer role: only trainers can run a course."],
        "code": "not_a_trainer",
    }

    created = client.post("/api/courses/", data, format="json")
    updated = client.patch(f"/api/courses/{course.pk}/", {"trainers": [receptionist.pk]}, format="json")

    assert (created.status_code, created.json()) == (400, expected)
    assert (updated.status_code, updated.json()) == (400, expected)
    assert not Course.objects.filter(title="Parcours été").exists()
    assert list(course.trainers.all()) == [trainer]


def test_session_fields_follow_the_contract(api_as, trainer, course, sessions):
    AttendanceFactory(session=sessions[0], enrolment=EnrolmentFactory(course=course))

    items = api_as(trainer).get("/api/sessions/", {"course": course.pk}).json()["results"]

    assert {"course", "starts_at", "topic"} <= set(items[0])
    assert items[0]["course"] == course.pk
    # By id: the factory's dates depend on how many sessions other tests made before.
    assert {item["id"]: item["present_count"] for item in items} == {
        sessions[0].pk: 1,
        sessions[1].pk: 0,
        sessions[2].pk: 0,
    }


def test_creating_a_session_in_someone_elses_course_reads_as_unknown(api_as, other_trainer, course):
    response = api_as(other_trainer).post(
        "/api/sessions/",
        {"course": course.pk, "starts_at": timezone.now().isoformat(), "topic": "basic_use"},
        format="json",
    )

    assert response.status_code == 400
    assert "does not exist" in response.json()["course"][0]


@pytest.mark.parametrize(
    ("starts_at", "message"),
    [
        ("0001-01-01T00:00:00", "Datetime value out of range."),
        ("2150-09-01T14:00:00+02:00", "Give a date between 2000 and 2099."),
    ],
)
def test_a_session_centuries_off_is_refused(api_as, trainer, course, starts_at, message):
    response = api_as(trainer).post(
        "/api/sessions/", {"course": course.pk, "starts_at": starts_at, "topic": "basic_use"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"starts_at": [message]}
    assert not course.sessions.exists()


def test_sizes_only_a_typing_slip_reaches_are_refused(api_as, trainer, course):
    api = api_as(trainer)
    too_big = api.post("/api/courses/", course_data(capacity=32767, min_sessions=32767), format="json")
    assert too_big.status_code == 400
    assert set(too_big.json()) == {"capacity", "min_sessions"}
    session = {"course": course.pk, "starts_at": timezone.now().isoformat(), "topic": "basic_use"}
    day_long = api.post("/api/sessions/", {**session, "duration_minutes": 32767}, format="json")
    assert day_long.status_code == 400
    assert list(day_long.json()) == ["duration_minutes"]
    assert api.post("/api/sessions/", {**session, "duration_minutes": 180}, format="json").status_code == 201


def test_enrolling_answers_enrolled_then_waiting(api_as, trainer, course, make_households):
    client = api_as(trainer)

    statuses = [
        client.post("/api/enrolments/", {"household": h.pk, "course": course.pk}, format="json").json()[
            "status"
        ]
        for h in make_households(3)
    ]

    assert statuses == ["enrolled", "enrolled", "waiting"]


def test_enrolment_fields_follow_the_contract_and_status_is_read_only(
    api_as, trainer, course, make_households
):
    household = make_households(1)[0]

    response = api_as(trainer).post(
        "/api/enrolments/",
        {"household": household.pk, "course": course.pk, "status": "withdrawn"},
        format="json",
    )

    body = response.json()
    assert response.status_code == 201
    assert {"household", "course", "status", "completed"} <= set(body)
    assert (body["household"], body["course"], body["status"], body["completed"]) == (
        household.pk,
        course.pk,
        "enrolled",
        False,
    )
    assert Enrolment.objects.get().history.get().history_user == trainer


def test_enrolling_twice_is_a_409(api_as, trainer, course):
    enrolment = EnrolmentFactory(course=course, household=HouseholdFactory(structure=trainer.structure))

    response = api_as(trainer).post(
        "/api/enrolments/", {"household": enrolment.household.pk, "course": course.pk}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "already_enrolled"


def test_enrolments_cannot_be_edited_or_deleted(api_as, trainer, course):
    enrolment = EnrolmentFactory(course=course)
    client = api_as(trainer)

    assert (
        client.patch(f"/api/enrolments/{enrolment.pk}/", {"status": "withdrawn"}, format="json").status_code
        == 405
    )
    assert client.delete(f"/api/enrolments/{enrolment.pk}/").status_code in (403, 405)
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled"


def test_withdraw_endpoint_needs_a_reason_and_promotes(api_as, trainer, course):
    leaving, _staying, waiting = (
        EnrolmentFactory(course=course, status=status) for status in ["enrolled", "enrolled", "waiting"]
    )
    client = api_as(trainer)
    url = f"/api/enrolments/{leaving.pk}/withdraw/"

    assert client.post(url, {}, format="json").json() == {"reason": ["This field is required."]}
    response = client.post(url, {"reason": "Moved away"}, format="json")

    body = response.json()
    assert response.status_code == 200
    assert (body["status"], body["withdrawal_reason"], body["promoted"]) == (
        "withdrawn",
        "Moved away",
        [waiting.pk],
    )
    assert client.get(f"/api/enrolments/{waiting.pk}/").json()["status"] == "enrolled"
    assert client.post(url, {"reason": "Again"}, format="json").status_code == 409


def test_completed_comes_from_attendance(api_as, trainer, course, sessions):
    enrolment = EnrolmentFactory(course=course)
    for session in sessions[:2]:
        AttendanceFactory(session=session, enrolment=enrolment)

    body = api_as(trainer).get(f"/api/enrolments/{enrolment.pk}/").json()

    assert (body["completed"], body["attended_sessions"], body["progress"]) == (True, 2, "completed")


def test_attendance_endpoint_upserts(api_as, trainer, course, sessions):
    enrolment = EnrolmentFactory(course=course)
    client = api_as(trainer)
    url = f"/api/sessions/{sessions[0].pk}/attendance/"

    first = client.post(url, {"household": enrolment.household.pk, "present": True}, format="json")
    second = client.post(url, {"household": enrolment.household.pk, "present": False}, format="json")

    assert first.status_code == second.status_code == 200
    assert second.json()["present"] is False
    assert set(second.json()) == {"id", "session", "household", "present", "recorded_at"}
    assert Attendance.objects.count() == 1
    listed = client.get("/api/attendance/", {"session": sessions[0].pk}).json()["results"]
    assert [(row["household"], row["present"]) for row in listed] == [(enrolment.household.pk, False)]


def test_attendance_endpoint_refuses_with_a_reason(api_as, trainer, course, sessions):
    waiting = EnrolmentFactory(course=course, status="waiting")
    future = SessionFactory(course=course, starts_at=timezone.now() + timedelta(days=2))
    enrolled = EnrolmentFactory(course=course)
    client = api_as(trainer)

    not_enrolled = client.post(
        f"/api/sessions/{sessions[0].pk}/attendance/", {"household": waiting.household.pk, "present": True}
    )
    too_early = client.post(
        f"/api/sessions/{future.pk}/attendance/", {"household": enrolled.household.pk, "present": True}
    )
    missing = client.post(f"/api/sessions/{sessions[0].pk}/attendance/", {"household": enrolled.household.pk})

    assert not_enrolled.status_code == 400 and not_enrolled.json()["code"] == "not_enrolled"
    assert too_early.status_code == 400 and too_early.json()["code"] == "session_not_held"
    assert missing.status_code == 400 and "present" in missing.json()
    assert not Attendance.objects.exists()


@pytest.fixture
def endpoints(course, sessions):
    enrolment = EnrolmentFactory(course=course)
    AttendanceFactory(session=sessions[0], enrolment=enrolment)
    return {
        "course": f"/api/courses/{course.pk}/",
        "session": f"/api/sessions/{sessions[0].pk}/",
        "enrolment": f"/api/enrolments/{enrolment.pk}/",
        "attendance": f"/api/attendance/{Attendance.objects.get().pk}/",
        "household": f"/api/households/{enrolment.household.pk}/",
    }


def test_a_trainer_of_another_structure_gets_404_on_every_object(api_as, other_trainer, endpoints, sessions):
    client = api_as(other_trainer)

    for name, url in endpoints.items():
        assert client.get(url).status_code == 404, name
    enrolment_url = endpoints["enrolment"]
    assert client.post(enrolment_url + "withdraw/", {"reason": "x"}, format="json").status_code == 404
    assert (
        client.post(endpoints["session"] + "attendance/", {"present": True}, format="json").status_code == 404
    )
    for listing in ["/api/courses/", "/api/sessions/", "/api/enrolments/", "/api/attendance/"]:
        assert client.get(listing).json()["count"] == 0, listing


def test_technicians_get_403_on_every_training_endpoint(api_as, technician, endpoints):
    client = api_as(technician)

    for name, url in endpoints.items():
        assert client.get(url).status_code == 403, name
    assert (
        client.post(endpoints["enrolment"] + "withdraw/", {"reason": "x"}, format="json").status_code == 403
    )
    assert client.post(endpoints["session"] + "attendance/", {}, format="json").status_code == 403


def test_coordinators_read_everything_and_write_nothing(api_as, coordinator, endpoints, course):
    client = api_as(coordinator)

    for name, url in endpoints.items():
        assert client.get(url).status_code == 200, name
    assert (
        client.post(endpoints["enrolment"] + "withdraw/", {"reason": "x"}, format="json").status_code == 403
    )
    assert client.patch(endpoints["course"], {"capacity": 9}, format="json").status_code == 403


@pytest.mark.parametrize("url", ["/api/courses/", "/api/sessions/", "/api/enrolments/", "/api/attendance/"])
def test_api_lists_run_as_many_queries_for_20_rows_as_for_1(api_as, trainer, queries_do_not_grow, url):
    def add_rows(count):
        for _ in range(count):
            course = CourseFactory(structure=trainer.structure, trainers=[trainer])
            AttendanceFactory(
                session=SessionFactory(course=course), enrolment=EnrolmentFactory(course=course)
            )

    client = api_as(trainer)
    add_rows(1)

    queries_do_not_grow(lambda: client.get(url), lambda: add_rows(19))


def test_the_schema_documents_the_endpoints(api_as, trainer):
    schema = yaml.safe_load(api_as(trainer).get("/api/schema/").content)

    validate_schema(schema)
    paths = schema["paths"]
    for path in [
        "/api/neighbourhoods/",
        "/api/households/",
        "/api/courses/",
        "/api/sessions/",
        "/api/sessions/{id}/attendance/",
        "/api/enrolments/",
        "/api/enrolments/{id}/withdraw/",
        "/api/attendance/",
    ]:
        assert path in paths, path


def test_a_withdrawn_household_can_be_enrolled_again_through_the_api(api_as, trainer, course):
    enrolment = EnrolmentFactory(
        course=course,
        household=HouseholdFactory(structure=trainer.structure),
        status="withdrawn",
        withdrawal_reason="Ill",
    )

    response = api_as(trainer).post(
        "/api/enrolments/", {"household": enrolment.household.pk, "course": course.pk}, format="json"
    )

    assert response.status_code == 201
    assert (response.json()["id"], response.json()["status"]) == (enrolment.pk, "enrolled")
