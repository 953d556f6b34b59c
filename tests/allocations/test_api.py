"""The allocations API: the contract's names, the same services, 400/409 with a message."""

import io
from datetime import timedelta

import pypdfium2
import pytest
from django.utils import timezone

from apps.allocations.models import Allocation, FollowUp

from .conftest import ready_device

pytestmark = pytest.mark.django_db
DUE = (timezone.localdate() + timedelta(days=90)).isoformat()


def reserve(api, household, devices, kind="loan", due_on=DUE):
    return api.post(
        "/api/allocations/",
        {"household": household.pk, "devices": [d.pk for d in devices], "kind": kind, "due_on": due_on},
    )


def test_the_whole_loan_through_the_api(api_as, trainer, completed, kit):
    api = api_as(trainer)
    response = reserve(api, completed.household, kit)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["kind"], body["due_on"]) == ("reserved", "loan", DUE)
    assert sorted(body["devices"]) == sorted(d.pk for d in kit)
    assert body["household_name"] == completed.household.contact_name
    pk = body["id"]
    assert api.post(f"/api/allocations/{pk}/hand_over/").json()["status"] == "active"
    agreement = api.get(f"/api/allocations/{pk}/agreement.pdf")
    assert agreement["Content-Type"] == "application/pdf"
    document = pypdfium2.PdfDocument(io.BytesIO(agreement.content))
    text = " ".join(" ".join(page.get_textpage().get_text_range() for page in document).split())
    assert completed.household.contact_name in text
    for device in kit:
        assert device.asset_tag in text and device.serial_number in text
    assert api.post(f"/api/allocations/{pk}/convert_to_gift/").json()["kind"] == "gift"
    returned = api.post(f"/api/allocations/{pk}/return/", {"condition": "good"})
    assert returned.json()["status"] == "returned"
    assert api.post(f"/api/allocations/{pk}/return/", {"condition": "good"}).status_code == 409


def test_bad_requests_are_400_with_fields(api_as, trainer, completed, kit):
    api = api_as(trainer)
    response = api.post(
        "/api/allocations/", {"household": completed.household.pk, "devices": [], "kind": "swap"}
    )
    assert response.status_code == 400
    assert "kind" in response.json()
    assert "due_on" in reserve(api, completed.household, kit, due_on=None).json()
    created = reserve(api, completed.household, kit).json()
    assert "condition" in api.post(f"/api/allocations/{created['id']}/return/", {"condition": "mint"}).json()


def test_conflicts_are_409(api_as, trainer, completed, kit):
    api = api_as(trainer)
    assert reserve(api, completed.household, kit).status_code == 201
    again = reserve(api, completed.household, kit[:1])
    assert again.status_code == 409
    assert again.json()["code"] == "device_not_ready"


def test_not_eligible_is_a_400_with_the_count(api_as, trainer, enrolment, kit):
    api = api_as(trainer)
    pk = reserve(api, enrolment.household, kit).json()["id"]
    response = api.post(f"/api/allocations/{pk}/hand_over/", {"override_reason": "urgent"})
    assert response.status_code == 400
    assert response.json()["code"] == "not_eligible"
    assert "0 of the 4 sessions" in response.json()["detail"]


def test_a_household_outside_any_course_cannot_receive(api_as, trainer, mediatheque, kit):
    from tests.factories import HouseholdFactory

    household = HouseholdFactory(structure=mediatheque)
    response = reserve(api_as(trainer), household, kit)
    assert response.status_code == 400
    assert response.json()["code"] == "not_enrolled"


def test_follow_ups_endpoint(api_as, trainer, completed, kit):
    api = api_as(trainer)
    pk = reserve(api, completed.household, kit, kind="gift", due_on=None).json()["id"]
    early = api.post("/api/follow-ups/", {"allocation": pk, "reached": True})
    assert early.status_code == 400
    api.post(f"/api/allocations/{pk}/hand_over/")
    response = api.post(
        "/api/follow-ups/",
        {"allocation": pk, "reached": True, "in_use": True, "uses": ["school", "job_search"]},
    )
    assert response.status_code == 201, response.json()
    assert api.get("/api/follow-ups/", {"allocation": pk}).json()["results"][0]["uses"] == [
        "school",
        "job_search",
    ]


def test_a_contact_dated_ahead_and_a_return_centuries_away_are_refused(api_as, trainer, completed, kit):
    api = api_as(trainer)
    far = reserve(api, completed.household, kit, due_on="9999-12-31")
    assert far.status_code == 400
    assert far.json() == {"due_on": ["Give a date between 2000 and 2099."]}
    pk = reserve(api, completed.household, kit, kind="gift", due_on=None).json()["id"]
    api.post(f"/api/allocations/{pk}/hand_over/")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    ahead = api.post("/api/follow-ups/", {"allocation": pk, "reached": True, "contacted_on": tomorrow})
    assert ahead.status_code == 400
    assert "This is in the future" in ahead.json()["contacted_on"][0]
    assert not FollowUp.objects.exists()


class TestScoping:
    def test_technicians_see_allocations_without_household_data(
        self, api_as, trainer, technician, completed, kit
    ):
        pk = reserve(api_as(trainer), completed.household, kit).json()["id"]
        api = api_as(technician)
        body = api.get(f"/api/allocations/{pk}/").json()
        assert body["household_name"] is None
        assert completed.household.contact_name not in str(api.get("/api/allocations/").json())
        assert api.get(f"/api/allocations/{pk}/agreement.pdf").status_code == 404
        assert reserve(api, completed.household, kit).status_code in (400, 403)

    def test_technicians_get_null_for_what_was_written_about_the_household(
        self, api_as, trainer, coordinator, technician, enrolment, kit
    ):
        from apps.allocations import services

        allocation = services.reserve(
            actor=trainer,
            enrolment=enrolment,
            devices=kit,
            kind="gift",
            notes="Mère isolée, suivie par le CCAS",
        )
        services.hand_over(allocation, actor=coordinator, override_reason="Hospitalisée deux semaines")
        url = f"/api/allocations/{allocation.pk}/"

        body = api_as(trainer).get(url).json()
        assert (body["notes"], body["override_reason"]) == (
            "Mère isolée, suivie par le CCAS",
            "Hospitalisée deux semaines",
        )
        api = api_as(technician)
        for body in (api.get(url).json(), api.get("/api/allocations/").json()["results"][0]):
            assert (body["household_name"], body["notes"], body["override_reason"]) == (None, None, None)
            assert body["device_tags"] == [device.asset_tag for device in kit]

    def test_the_note_of_a_return_is_for_the_trainer_and_the_condition_for_everyone(
        self, api_as, trainer, technician, completed, kit
    ):
        api = api_as(trainer)
        pk = reserve(api, completed.household, kit).json()["id"]
        api.post(f"/api/allocations/{pk}/hand_over/")
        returned = api.post(
            f"/api/allocations/{pk}/return/", {"condition": "worn", "note": "Mme Zorglub déménage"}
        )
        assert (returned.json()["return_condition"], returned.json()["closing_note"]) == (
            "worn",
            "Mme Zorglub déménage",
        )
        body = api_as(technician).get(f"/api/allocations/{pk}/").json()
        assert (body["return_condition"], body["closing_note"]) == ("worn", None)

    def test_trainers_of_another_structure_get_404(self, api_as, trainer, other_trainer, completed, kit):
        pk = reserve(api_as(trainer), completed.household, kit).json()["id"]
        api = api_as(other_trainer)
        assert api.get(f"/api/allocations/{pk}/").status_code == 404
        assert api.post(f"/api/allocations/{pk}/hand_over/").status_code == 404
        assert api.get("/api/allocations/").json()["count"] == 0

    def test_coordinators_see_all(self, api_as, trainer, coordinator, completed, kit):
        pk = reserve(api_as(trainer), completed.household, kit).json()["id"]
        body = api_as(coordinator).get(f"/api/allocations/{pk}/").json()
        assert body["household_name"] == completed.household.contact_name


def test_list_query_count_does_not_grow(api_as, trainer, course, kit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.allocations import services
    from tests.factories import EnrolmentFactory

    api = api_as(trainer)
    api.get("/api/allocations/")

    def add_one():
        enrolment = EnrolmentFactory(course=course, household__structure=course.structure)
        services.reserve(actor=trainer, enrolment=enrolment, devices=[ready_device()], kind="gift")

    add_one()
    with CaptureQueriesContext(connection) as one:
        api.get("/api/allocations/")
    for _ in range(6):
        add_one()
    with CaptureQueriesContext(connection) as many:
        assert api.get("/api/allocations/").json()["count"] == 7
    assert len(many) == len(one)
    assert Allocation.objects.count() == 7


def test_hand_over_takes_a_new_due_date_for_a_loan_whose_date_has_come(api_as, trainer, completed, kit):
    api = api_as(trainer)
    pk = reserve(api, completed.household, kit).json()["id"]
    Allocation.objects.filter(pk=pk).update(due_on=timezone.localdate())  # weeks later
    refused = api.post(f"/api/allocations/{pk}/hand_over/")
    assert refused.status_code == 400
    assert (list(refused.json()), refused.json()["code"]) == (["due_on", "code"], "due_date_passed")
    assert api.post(f"/api/allocations/{pk}/hand_over/", {"due_on": "2150-01-01"}).status_code == 400
    new_due = (timezone.localdate() + timedelta(days=90)).isoformat()
    body = api.post(f"/api/allocations/{pk}/hand_over/", {"due_on": new_due}).json()
    assert (body["status"], body["due_on"]) == ("active", new_due)


def test_withdrawing_through_the_api_lists_the_reservations_it_cancelled(api_as, trainer, completed, kit):
    api = api_as(trainer)
    pk = reserve(api, completed.household, kit).json()["id"]
    body = api.post(f"/api/enrolments/{completed.pk}/withdraw/", {"reason": "Moved away"}).json()
    assert (body["status"], body["cancelled_allocations"]) == ("withdrawn", [pk])
    assert api.get(f"/api/allocations/{pk}/").json()["status"] == "cancelled"
    assert {api.get(f"/api/devices/{d.pk}/").json()["status"] for d in kit} == {"ready"}


def test_a_conversion_note_is_refused_beyond_what_the_history_keeps(api_as, trainer, completed, kit):
    api = api_as(trainer)
    pk = reserve(api, completed.household, kit).json()["id"]
    api.post(f"/api/allocations/{pk}/hand_over/")
    refused = api.post(f"/api/allocations/{pk}/convert_to_gift/", {"note": "x" * 101})
    assert (refused.status_code, list(refused.json())) == (400, ["note"])
    assert api.get(f"/api/allocations/{pk}/").json()["kind"] == "loan"
    assert api.post(f"/api/allocations/{pk}/convert_to_gift/", {"note": "x" * 100}).json()["kind"] == "gift"
