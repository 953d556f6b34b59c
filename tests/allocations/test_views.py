"""The trainer's screens: reserve a kit, hand it over, print the agreement, record the return."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.allocations.models import Allocation
from apps.devices.models import Device

from .conftest import ready_device

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


def test_the_reserve_form_does_not_offer_a_household_whose_details_were_erased(
    client_as, trainer, coordinator, completed
):
    from apps.households.privacy import anonymise_household

    client = client_as(trainer)
    offered = (
        client.get(reverse("allocations:allocation_create")).context["form"].fields["enrolment"].queryset
    )
    assert completed in offered
    anonymise_household(completed.household, actor=coordinator, reason="on request")
    offered = (
        client.get(reverse("allocations:allocation_create")).context["form"].fields["enrolment"].queryset
    )
    assert completed not in offered
