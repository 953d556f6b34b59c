"""Recording a donation: first its donor, found by name among a territory's thousand, then
the donation's own fields."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.views import PICK_LIST_SIZE
from apps.devices.models import Donation

from .factories import DonationFactory, DonorFactory

pytestmark = pytest.mark.django_db

NEW = reverse("devices:donation_create")


def test_the_donor_is_chosen_among_the_latest_or_by_name(client_as, technician):
    client = client_as(technician)
    mairie = DonorFactory(name="Mairie de Vaulx")
    others = DonorFactory.create_batch(3)

    def listed(**params):
        return client.get(NEW, params).context["donors"]

    assert listed() == [*reversed(others), mairie]  # recorded last first
    assert listed(q="vaulx") == [mairie]
    response = client.get(NEW, {"q": "nobody"})
    assert "No donor's name contains this text." in response.content.decode()

    with CaptureQueriesContext(connection) as with_few:
        client.get(NEW)
    DonorFactory.create_batch(PICK_LIST_SIZE)
    with CaptureQueriesContext(connection) as with_many:
        many = client.get(NEW)
    assert len(many.context["donors"]) == PICK_LIST_SIZE and many.context["more"]
    assert "search by name to find another" in many.content.decode()
    assert len(with_many) == len(with_few)


def test_a_chosen_donor_opens_the_form_which_records_the_donation(client_as, technician):
    client = client_as(technician)
    mairie = DonorFactory(name="Mairie de Vaulx")
    page = client.get(NEW, {"donor": mairie.pk}).content.decode()
    assert "Mairie de Vaulx" in page and 'name="received_on"' in page
    response = client.post(NEW + f"?donor={mairie.pk}", {"donor": mairie.pk, "received_on": "2026-11-02"})
    donation = Donation.objects.get()
    assert response["Location"] == donation.get_absolute_url()
    assert donation.donor == mairie


@pytest.mark.parametrize("forged", ["999999", "abc", "²", str(2**70), "-3"])
def test_an_unknown_donor_is_refused_and_nothing_is_recorded(client_as, technician, forged):
    client = client_as(technician)
    DonorFactory()
    for response in (
        client.get(NEW, {"donor": forged}),
        client.post(NEW, {"donor": forged, "received_on": "2026-11-02"}),
    ):
        assert response.status_code == 200
        assert "This donor is not recorded" in response.content.decode()
    assert not Donation.objects.exists()


def test_a_donation_can_be_moved_to_another_donor(client_as, technician):
    client = client_as(technician)
    donation = DonationFactory(donor=DonorFactory(name="Entreprise Durand"))
    mairie = DonorFactory(name="Mairie de Vaulx")
    url = reverse("devices:donation_update", args=[donation.pk])
    page = client.get(url).content.decode()
    assert "Entreprise Durand" in page and 'name="received_on"' in page
    assert client.get(url, {"pick": 1, "q": "vaulx"}).context["donors"] == [mairie]
    response = client.post(url, {"donor": mairie.pk, "received_on": donation.received_on.isoformat()})
    assert response["Location"] == donation.get_absolute_url()
    donation.refresh_from_db()
    assert donation.donor == mairie
    assert donation.history.latest().history_user == technician
