"""The trainer's screens: reserve a kit, hand it over, print the agreement, record the return."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.allocations import services
from apps.allocations.models import Allocation
from apps.core.views import PICK_LIST_SIZE
from apps.devices.models import Device
from tests.devices.test_views import pdf_text
from tests.factories import CourseFactory, EnrolmentFactory

from .conftest import attend, loan_now_due, ready_device

pytestmark = pytest.mark.django_db


def test_reserve_hand_over_agreement_and_return(client_as, trainer, completed, kit):
    client = client_as(trainer)
    due = (timezone.localdate() + timedelta(days=60)).isoformat()
    response = client.post(
        reverse("allocations:allocation_create"),
        {
            "enrolment": completed.pk,
            "kind": "loan",
            "due_on": due,
            "device_tags": " ".join(d.asset_tag.lower() for d in kit),
        },  # fmt: skip
    )
    allocation = Allocation.objects.get()
    assert response["Location"] == allocation.get_absolute_url()
    page = client.get(allocation.get_absolute_url()).content.decode()
    assert completed.household.contact_name in page
    assert "Hand over the devices" in page or "Remettre les équipements" in page
    client.post(reverse("allocations:allocation_hand_over", args=[allocation.pk]))
    allocation.refresh_from_db()
    assert allocation.status == "active"
    pdf = client.get(reverse("allocations:allocation_agreement", args=[allocation.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.post(reverse("allocations:allocation_return", args=[allocation.pk]), {"condition": "good"})
    allocation.refresh_from_db()
    assert allocation.status == "returned"
    assert set(Device.objects.filter(pk__in=[d.pk for d in kit]).values_list("status", flat=True)) == {
        "diagnosis"
    }


def test_unknown_tags_are_a_form_error(client_as, trainer, completed):
    response = client_as(trainer).post(
        reverse("allocations:allocation_create"),
        {"enrolment": completed.pk, "kind": "gift", "device_tags": "OP-404"},
    )
    assert response.status_code == 200
    assert (
        "Unknown asset tag(s): OP-404." in response.content.decode() or "OP-404" in response.content.decode()
    )
    assert Allocation.objects.count() == 0


def test_a_device_not_ready_is_a_form_error(client_as, trainer, completed):
    device = ready_device()
    device.status = "reconditioning"
    device.save()
    response = client_as(trainer).post(
        reverse("allocations:allocation_create"),
        {"enrolment": completed.pk, "kind": "gift", "device_tags": device.asset_tag},
    )
    assert response.status_code == 200
    assert "not ready" in response.content.decode() or "pas prêt" in response.content.decode()


def test_trainer_cannot_override_the_rule_from_the_screen(client_as, trainer, enrolment, kit):
    from apps.allocations import services

    allocation = services.reserve(actor=trainer, enrolment=enrolment, devices=kit, kind="gift")
    response = client_as(trainer).post(
        reverse("allocations:allocation_hand_over", args=[allocation.pk]),
        {"override_reason": "svp"},
        follow=True,
    )
    allocation.refresh_from_db()
    assert allocation.status == "reserved"
    assert (
        "0 of the 4 sessions" in response.content.decode() or "0 des 4 séances" in response.content.decode()
    )


def test_follow_ups_due_list(client_as, trainer, completed, kit, settings):
    from apps.allocations import services

    settings.FOLLOW_UP_DELAY_DAYS = 0
    allocation = services.hand_over(
        services.reserve(actor=trainer, enrolment=completed, devices=kit, kind="gift"), actor=trainer
    )
    client = client_as(trainer)
    page = client.get(reverse("allocations:allocation_list"), {"view": "follow_ups"})
    assert list(page.context["allocations"]) == [allocation]
    client.post(
        reverse("allocations:follow_up_create", args=[allocation.pk]),
        {
            "contacted_on": timezone.localdate().isoformat(),
            "reached": "on",
            "in_use": "true",
            "uses": ["school"],
        },
    )
    assert allocation.follow_ups.get().uses == ["school"]
    page = client.get(reverse("allocations:allocation_list"), {"view": "follow_ups"})
    assert list(page.context["allocations"]) == []


def test_technician_sees_the_allocation_but_not_the_household(client_as, trainer, technician, completed, kit):
    from apps.allocations import services

    allocation = services.reserve(actor=trainer, enrolment=completed, devices=kit, kind="gift")
    client = client_as(technician)
    page = client.get(allocation.get_absolute_url()).content.decode()
    assert completed.household.contact_name not in page
    assert f"#{completed.household_id}" in page
    listing = client.get(reverse("allocations:allocation_list")).content.decode()
    assert completed.household.contact_name not in listing
    assert client.get(reverse("allocations:allocation_agreement", args=[allocation.pk])).status_code == 404
    assert client.post(reverse("allocations:allocation_cancel", args=[allocation.pk])).status_code == 403


def test_what_was_written_about_the_household_is_shown_to_its_trainer_not_to_a_technician(
    client_as, trainer, coordinator, technician, enrolment, kit
):
    from apps.allocations import services

    allocation = services.reserve(
        actor=trainer, enrolment=enrolment, devices=kit, kind="gift", notes="Mère isolée, suivie par le CCAS"
    )
    allocation = services.hand_over(
        allocation, actor=coordinator, override_reason="Hospitalisée deux semaines"
    )
    services.record_follow_up(
        allocation, actor=trainer, reached=True, in_use=False, problem="Écran cassé par le fils"
    )
    written = ("Mère isolée", "Hospitalisée", "Écran cassé par le fils")

    trainers_page = client_as(trainer).get(allocation.get_absolute_url()).content.decode()
    assert all(text in trainers_page for text in written)
    technicians_page = client_as(technician).get(allocation.get_absolute_url()).content.decode()
    assert [text for text in written if text in technicians_page] == []
    # What the régie needs is still there: the devices and the follow-up's verdict.
    assert all(device.asset_tag in technicians_page for device in kit)
    assert "computer not in use" in technicians_page


def test_the_note_of_a_return_is_on_the_allocation_page_and_the_device_page_says_the_condition(
    client_as, trainer, technician, completed, kit
):
    from apps.allocations import services

    allocation = services.reserve(actor=trainer, enrolment=completed, devices=kit, kind="gift")
    allocation = services.hand_over(allocation, actor=trainer)
    client_as(trainer).post(
        reverse("allocations:allocation_return", args=[allocation.pk]),
        {"condition": "damaged", "note": "Mme Zorglub déménage, écran fêlé"},
    )

    trainers_page = client_as(trainer).get(allocation.get_absolute_url()).content.decode()
    assert "Note on return" in trainers_page and "Mme Zorglub déménage, écran fêlé" in trainers_page
    technician = client_as(technician)
    assert "Zorglub" not in technician.get(allocation.get_absolute_url()).content.decode()
    device_page = technician.get(kit[0].get_absolute_url()).content.decode()
    assert "Zorglub" not in device_page
    assert f"Returned (Damaged): allocation no. {allocation.number}" in device_page


def test_other_structure_trainer_gets_404(client_as, trainer, other_trainer, completed, kit):
    from apps.allocations import services

    allocation = services.reserve(actor=trainer, enrolment=completed, devices=kit, kind="gift")
    assert client_as(other_trainer).get(allocation.get_absolute_url()).status_code == 404


def test_the_household_page_shows_its_allocations_and_offers_to_reserve(client_as, trainer, completed, kit):
    from apps.allocations import services

    client = client_as(trainer)
    page = client.get(completed.household.get_absolute_url()).content.decode()
    assert f"/allocations/new/?enrolment={completed.pk}" in page
    allocation = services.reserve(actor=trainer, enrolment=completed, devices=kit, kind="gift")
    page = client.get(completed.household.get_absolute_url()).content.decode()
    assert allocation.get_absolute_url() in page
    assert kit[0].asset_tag in page


def offered(client, **params):
    """The enrolments the reserve screen lets one choose."""
    return client.get(reverse("allocations:allocation_create"), params).context["enrolments"]


def test_the_reserve_screen_does_not_offer_a_household_whose_details_were_erased(
    client_as, trainer, coordinator, completed
):
    from apps.households.privacy import anonymise_household

    client = client_as(trainer)
    assert completed in offered(client)
    anonymise_household(completed.household, actor=coordinator, reason="on request")
    assert completed not in offered(client)


def test_the_reserve_screen_offers_the_trainers_enrolled_households_found_by_name_or_phone(
    client_as, trainer, other_trainer, course
):
    karim = EnrolmentFactory(
        course=course, household__contact_name="Karim Haddad", household__phone="06 11 22 33 44"
    )
    elodie = EnrolmentFactory(course=course, household__contact_name="Élodie Petit")
    waiting = EnrolmentFactory(course=course, status="waiting")
    elsewhere = EnrolmentFactory(course=CourseFactory(structure=other_trainer.structure))
    client = client_as(trainer)

    assert offered(client) == [elodie, karim]  # newest first
    assert offered(client, q="haddad") == [karim]
    assert offered(client, q="+33 6 11 22 33 44") == [karim]
    assert offered(client, q="elodie") == [elodie]
    assert offered(client, q=waiting.household.contact_name) == []
    assert offered(client, q=elsewhere.household.contact_name) == []

    page = client.get(reverse("allocations:allocation_create"), {"q": "haddad", "device": "OP-000042"})
    assert f"?enrolment={karim.pk}&amp;device=OP-000042" in page.content.decode()
    form = client.get(
        reverse("allocations:allocation_create"), {"enrolment": karim.pk, "device": "OP-000042"}
    )
    html = form.content.decode()
    assert "Karim Haddad" in html and course.title in html
    assert form.context["form"].initial["device_tags"] == "OP-000042"


def test_the_reserve_screen_lists_a_fixed_number_of_households_however_many_are_enrolled(
    client_as, trainer, course
):
    client = client_as(trainer)
    EnrolmentFactory.create_batch(3, course=course)
    with CaptureQueriesContext(connection) as queries_with_few:
        few = client.get(reverse("allocations:allocation_create"))
    assert len(few.context["enrolments"]) == 3 and not few.context["more"]

    EnrolmentFactory.create_batch(30, course=course)
    with CaptureQueriesContext(connection) as queries_with_many:
        many = client.get(reverse("allocations:allocation_create"))
    assert len(many.context["enrolments"]) == PICK_LIST_SIZE and many.context["more"]
    assert "search by name or phone to find another" in many.content.decode()
    assert len(queries_with_many) == len(queries_with_few)


def test_reserving_through_an_enrolment_outside_ones_courses_is_refused_and_changes_nothing(
    client_as, trainer, other_trainer, kit
):
    elsewhere = EnrolmentFactory(course=CourseFactory(structure=other_trainer.structure))
    response = client_as(trainer).post(
        reverse("allocations:allocation_create"),
        {"enrolment": elsewhere.pk, "kind": "gift", "device_tags": kit[0].asset_tag},
    )
    assert response.status_code == 200
    assert "No device can be reserved through this enrolment" in response.content.decode()
    assert Allocation.objects.count() == 0
    assert Device.objects.get(pk=kit[0].pk).status == "ready"


@pytest.mark.parametrize("enrolment", ["abc", "-1", "²", "99999999999999999999999"])
def test_a_malformed_enrolment_shows_the_choice_of_household_again(client_as, trainer, enrolment):
    response = client_as(trainer).get(reverse("allocations:allocation_create"), {"enrolment": enrolment})
    assert response.status_code == 200
    assert "No device can be reserved through this enrolment" in response.content.decode()


def test_the_allocations_list_pages_newest_reservation_first_with_a_fixed_number_of_queries(
    client_as, trainer, course
):
    from apps.allocations import services
    from apps.core.views import LIST_PAGE_SIZE

    def reserve():
        enrolment = EnrolmentFactory(course=course, household__structure=course.structure)
        return services.reserve(actor=trainer, enrolment=enrolment, devices=[ready_device()], kind="gift")

    client = client_as(trainer)
    oldest = reserve()
    with CaptureQueriesContext(connection) as with_one:
        client.get(reverse("allocations:allocation_list"))
    newer = [reserve() for _ in range(LIST_PAGE_SIZE)]

    with CaptureQueriesContext(connection) as with_a_page:
        first = client.get(reverse("allocations:allocation_list")).context["allocations"]
    second = client.get(reverse("allocations:allocation_list"), {"page": 2}).context["allocations"]

    assert list(first) == newer[::-1]
    assert list(second) == [oldest]
    assert len(with_a_page) == len(with_one)


@pytest.mark.parametrize("view", ["all", "follow_ups", "overdue"])
def test_each_allocation_list_costs_the_same_queries_for_one_row_or_six(
    client_as, trainer, course, settings, view
):
    """The three lists a trainer works from read a row's household and devices with the
    page, not one query per row."""
    from apps.allocations import services

    settings.FOLLOW_UP_DELAY_DAYS = 0
    today = timezone.localdate()

    def overdue_loan_to_follow_up():
        enrolment = EnrolmentFactory(course=course, household__structure=course.structure)
        attend(enrolment, 4)
        kit = [ready_device(), ready_device(kind="screen", storage_gb=0)]
        allocation = services.reserve(
            actor=trainer, enrolment=enrolment, devices=kit, kind="loan", due_on=today + timedelta(days=30)
        )
        services.hand_over(allocation, actor=trainer)
        Allocation.objects.filter(pk=allocation.pk).update(due_on=today - timedelta(days=1))
        return allocation

    client = client_as(trainer)
    first = overdue_loan_to_follow_up()
    with CaptureQueriesContext(connection) as with_one:
        page = client.get(reverse("allocations:allocation_list"), {"view": view})
    assert list(page.context["allocations"]) == [first]

    more = [overdue_loan_to_follow_up() for _ in range(5)]
    with CaptureQueriesContext(connection) as with_six:
        page = client.get(reverse("allocations:allocation_list"), {"view": view})
    assert set(page.context["allocations"]) == {first, *more}
    html = page.content.decode()
    assert all(a.household.contact_name in html for a in more)
    assert all(device.asset_tag in html for a in more for device in a.devices.all())
    assert len(with_six) == len(with_one)


def test_a_loan_whose_due_date_has_come_is_handed_over_with_a_new_one(client_as, trainer, completed, kit):
    allocation = loan_now_due(trainer, completed, kit)
    client = client_as(trainer)
    page = client.get(allocation.get_absolute_url()).content.decode()
    assert 'name="due_on"' in page and "Leave it empty to keep the date set at the reservation." in page

    url = reverse("allocations:allocation_hand_over", args=[allocation.pk])
    refused = client.post(url, {"due_on": ""}, follow=True).content.decode()
    assert "has come: give the loan a new due date." in refused
    assert Allocation.objects.get(pk=allocation.pk).status == "reserved"

    new_due = timezone.localdate() + timedelta(days=90)
    client.post(url, {"due_on": new_due.isoformat()})
    assert Allocation.objects.filter(pk=allocation.pk).values_list("status", "due_on").get() == (
        "active",
        new_due,
    )


def test_a_gift_hand_over_form_asks_no_due_date(client_as, trainer, completed, kit):
    allocation = services.reserve(actor=trainer, enrolment=completed, devices=kit, kind="gift")
    assert 'name="due_on"' not in client_as(trainer).get(allocation.get_absolute_url()).content.decode()


def test_withdrawing_says_the_reservation_is_cancelled_before_and_after(client_as, trainer, completed, kit):
    allocation = services.reserve(actor=trainer, enrolment=completed, devices=kit, kind="gift")
    client = client_as(trainer)
    url = reverse("training:enrolment_withdraw", args=[completed.pk])
    page = client.get(url).content.decode()
    assert f"Its reservation no. {allocation.number} will be cancelled" in page
    assert all(device.asset_tag in page for device in kit)

    done = client.post(url, {"reason": "Moved away"}, follow=True).content.decode()
    assert f"Its reservation no. {allocation.number} is cancelled: the devices are ready again." in done
    assert set(Device.objects.filter(pk__in=[d.pk for d in kit]).values_list("status", flat=True)) == {
        "ready"
    }


def test_the_agreement_prints_a_household_name_in_any_alphabet(client_as, trainer, completed, kit):
    household = completed.household
    household.contact_name = "Mehmet Yılmaz"
    household.save()
    allocation = services.reserve(actor=trainer, enrolment=completed, devices=kit, kind="gift")
    pdf = client_as(trainer).get(reverse("allocations:allocation_agreement", args=[allocation.pk]))
    assert "Mehmet Yılmaz" in pdf_text(pdf.content)
