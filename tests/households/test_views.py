"""Household and neighbourhood screens: who sees what, the duplicate warning, the forms."""

import pytest
from django.urls import reverse

from apps.households import privacy
from apps.households.models import Household, Neighbourhood
from tests.factories import CourseFactory, EnrolmentFactory, HouseholdFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

LIST_URL = reverse("households:household_list")
CREATE_URL = reverse("households:household_create")


def form_data(data):
    """The household data as the browser posts it."""
    posted = {**data, "neighbourhood": data["neighbourhood"].pk, "consent_at": "2025-03-04T10:30"}
    posted["no_computer_at_home"] = "on" if data["no_computer_at_home"] else ""
    return posted


def test_a_trainer_lists_the_households_of_their_structure_and_of_their_courses(
    client_as, trainer, other_trainer
):
    own = HouseholdFactory(contact_name="Famille Martin", structure=trainer.structure)
    followed = HouseholdFactory(contact_name="Famille Suivie", structure=other_trainer.structure)
    EnrolmentFactory(household=followed, course=CourseFactory(structure=trainer.structure))
    HouseholdFactory(contact_name="Famille Ailleurs", structure=other_trainer.structure)

    html = client_as(trainer).get(LIST_URL).content.decode()

    assert own.contact_name in html
    assert followed.contact_name in html
    assert "Famille Ailleurs" not in html
    assert "2 households" in html


def test_a_trainer_of_another_structure_gets_404_on_the_household_and_its_form(
    client_as, trainer, other_trainer
):
    household = HouseholdFactory(structure=trainer.structure)
    client = client_as(other_trainer)

    assert client.get(household.get_absolute_url()).status_code == 404
    assert client.get(reverse("households:household_update", args=[household.pk])).status_code == 404
    assert client.post(reverse("households:household_update", args=[household.pk]), {}).status_code == 404


@pytest.mark.parametrize(
    "url_name", ["households:household_list", "households:household_create", "households:household_detail"]
)
def test_technicians_never_see_households(client_as, technician, url_name):
    household = HouseholdFactory(structure=technician.structure)
    args = [household.pk] if url_name.endswith("detail") else []

    response = client_as(technician).get(reverse(url_name, args=args))

    assert response.status_code == 403
    assert household.contact_name not in response.content.decode()


def test_a_coordinator_sees_every_household_but_registers_none(
    client_as, coordinator, trainer, other_trainer
):
    HouseholdFactory(contact_name="Famille Martin", structure=trainer.structure)
    other = HouseholdFactory(contact_name="Famille Ailleurs", structure=other_trainer.structure)
    client = client_as(coordinator)

    html = client.get(LIST_URL).content.decode()

    assert "Famille Martin" in html and "Famille Ailleurs" in html
    assert "Register a household" not in html
    assert client.get(other.get_absolute_url()).status_code == 200
    assert client.get(CREATE_URL).status_code == 403


def test_registering_from_the_screen(client_as, trainer, household_data):
    response = client_as(trainer).post(CREATE_URL, form_data(household_data()), follow=True)

    household = Household.objects.get()
    assert response.redirect_chain[-1][0] == household.get_absolute_url()
    html = response.content.decode()
    assert "Household “Fatima Benali” registered." in html
    assert "<dt>Priority area (QPV)</dt><dd>yes</dd>" in html
    assert household.structure == trainer.structure
    assert household.history.get().history_user == trainer


def test_the_form_offers_the_consent_wording_and_not_given_for_optional_facts(client_as, trainer):
    html = client_as(trainer).get(CREATE_URL).content.decode()

    assert "I agree that the Ordi-pratique programme keeps the details above" in html
    assert ">Not given</option>" in html
    assert 'type="tel"' in html


def test_a_likely_duplicate_is_caught_on_screen_then_registered_once_confirmed(
    client_as, trainer, household_data
):
    existing = HouseholdFactory(contact_name="Fatima Benali", phone="0612345678", structure=trainer.structure)
    client = client_as(trainer)
    data = form_data(household_data(contact_name="Aminata Diallo", phone="+33 6 12 34 56 78"))

    warned = client.post(CREATE_URL, data)

    html = warned.content.decode()
    assert warned.status_code == 200
    assert "Likely duplicate" in html
    assert f'href="{existing.get_absolute_url()}"' in html
    assert 'name="confirm_duplicate"' in html
    assert Household.objects.count() == 1

    confirmed = client.post(CREATE_URL, {**data, "confirm_duplicate": "on"})

    assert confirmed.status_code == 302
    assert Household.objects.count() == 2


def test_a_duplicate_in_another_structure_is_announced_without_revealing_it(
    client_as, trainer, other_trainer, household_data
):
    hidden = HouseholdFactory(
        contact_name="Fatima Benali", phone="0612345678", structure=other_trainer.structure
    )

    html = client_as(trainer).post(CREATE_URL, form_data(household_data())).content.decode()

    assert "registered by another structure; you cannot open it" in html
    assert hidden.get_absolute_url() not in html
    assert Household.objects.count() == 1


def test_bad_input_comes_back_as_form_errors(client_as, trainer, household_data):
    response = client_as(trainer).post(CREATE_URL, form_data(household_data(size=2, children=3, phone="")))

    html = response.content.decode()
    assert response.status_code == 200
    assert "There cannot be more children than people in the household." in html
    assert "This field is required." in html
    assert not Household.objects.exists()


def test_editing_a_household(client_as, trainer, household_data):
    household = HouseholdFactory(structure=trainer.structure, neighbourhood=household_data()["neighbourhood"])
    data = form_data(household_data(contact_name="Fatima Benali-Haddad", size=5))

    response = client_as(trainer).post(reverse("households:household_update", args=[household.pk]), data)

    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.contact_name, household.size) == ("Fatima Benali-Haddad", 5)
    assert household.history.first().history_user == trainer


@pytest.mark.parametrize(
    ("consent_at", "message"),
    [
        ("0001-01-01T00:00", "Give a date between 2000 and 2099."),
        ("2999-01-01T10:00", "Give a date between 2000 and 2099."),
        ("2099-01-01T10:00", "This is in the future (01/01/2099 10 a.m.): give when it happened."),
    ],
)
def test_a_consent_dated_centuries_off_or_ahead_is_refused(
    client_as, trainer, household_data, consent_at, message
):
    household = HouseholdFactory(structure=trainer.structure, neighbourhood=household_data()["neighbourhood"])
    data = {**form_data(household_data(contact_name="Changé")), "consent_at": consent_at}

    response = client_as(trainer).post(reverse("households:household_update", args=[household.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"consent_at": [message]}
    household.refresh_from_db()
    assert household.contact_name != "Changé"


def test_the_detail_page_shows_the_households_courses_in_the_trainers_scope(
    client_as, trainer, other_trainer
):
    household = HouseholdFactory(structure=trainer.structure)
    EnrolmentFactory(
        household=household, course=CourseFactory(title="Parcours ici", structure=trainer.structure)
    )
    EnrolmentFactory(
        household=household,
        course=CourseFactory(title="Parcours ailleurs", structure=other_trainer.structure),
    )

    html = client_as(trainer).get(household.get_absolute_url()).content.decode()

    assert "Parcours ici" in html
    assert "Parcours ailleurs" not in html


def test_an_anonymised_households_page_offers_no_edit_and_no_new_reservation(client_as, trainer):
    course = CourseFactory(structure=trainer.structure)
    kept, erased = HouseholdFactory.create_batch(2, structure=trainer.structure)
    enrolments = {
        household: EnrolmentFactory(household=household, course=course) for household in (kept, erased)
    }
    privacy.anonymise_household(erased, actor=trainer, reason="erasure on request")
    client = client_as(trainer)

    def page_of(household):
        return client.get(household.get_absolute_url()).content.decode()

    def edit_link(household):
        return reverse("households:household_update", args=[household.pk])

    def reserve_link(household):
        return f"{reverse('allocations:allocation_create')}?enrolment={enrolments[household].pk}"

    assert edit_link(kept) in page_of(kept)
    assert reserve_link(kept) in page_of(kept)
    html = page_of(erased)
    assert "This household was anonymised on" in html
    assert 'href="tel:' not in html  # no empty link to call
    assert "its text was erased with the household" in html
    assert edit_link(erased) not in html
    assert reserve_link(erased) not in html


def test_list_filters_by_name_whatever_the_accents_and_by_phone(client_as, trainer):
    HouseholdFactory(contact_name="Élodie Petit", phone="06 39 98 00 08", structure=trainer.structure)
    HouseholdFactory(contact_name="Karim Haddad", phone="06 39 98 00 05", structure=trainer.structure)
    client = client_as(trainer)

    by_name = client.get(LIST_URL, {"q": "elodie"}).content.decode()
    by_phone = client.get(LIST_URL, {"q": "+33 6 39 98 00 05"}).content.decode()

    assert "Élodie Petit" in by_name and "Karim Haddad" not in by_name
    assert "Karim Haddad" in by_phone and "Élodie Petit" not in by_phone


def test_the_list_runs_as_many_queries_for_20_households_as_for_1(client_as, trainer, queries_do_not_grow):
    client = client_as(trainer)
    HouseholdFactory(structure=trainer.structure)

    queries_do_not_grow(
        lambda: client.get(LIST_URL), lambda: HouseholdFactory.create_batch(19, structure=trainer.structure)
    )


def test_the_list_is_paginated_by_25(client_as, trainer):
    HouseholdFactory.create_batch(26, structure=trainer.structure)

    html = client_as(trainer).get(LIST_URL, {"page": 2}).content.decode()

    assert "Page 2 of 2" in html


def test_coordinators_manage_neighbourhoods_and_trainers_only_read_them(
    client_as, coordinator, trainer, client
):
    response = client_as(coordinator).post(
        reverse("households:neighbourhood_create"),
        {"name": "Saint-Jean", "code": "qn06901m", "is_priority": "on"},
    )
    assert response.status_code == 302
    created = Neighbourhood.objects.get(name="Saint-Jean")
    assert (created.code, created.is_priority) == ("QN06901M", True)
    assert created.history.get().history_user == coordinator

    client.logout()
    trainer_client = client_as(trainer)
    assert trainer_client.get(reverse("households:neighbourhood_list")).status_code == 200
    assert trainer_client.get(reverse("households:neighbourhood_create")).status_code == 403
    assert (
        trainer_client.get(reverse("households:neighbourhood_update", args=[created.pk])).status_code == 403
    )


def test_a_code_taken_in_capitals_is_a_form_error_when_typed_in_lower_case(client_as, coordinator):
    Neighbourhood.objects.create(name="Saint-Jean", code="QN06901M")
    response = client_as(coordinator).post(
        reverse("households:neighbourhood_create"), {"name": "Saint-Jean bis", "code": "qn06901m"}
    )
    assert response.status_code == 200
    assert "Another neighbourhood already has this official code." in response.content.decode()
    assert Neighbourhood.objects.count() == 1


def test_a_name_whose_matching_key_is_longer_than_itself_is_registered(client_as, trainer, household_data):
    name = "Œ" * 100  # its key, "oe" a hundred times, is longer than the name
    response = client_as(trainer).post(CREATE_URL, form_data(household_data(contact_name=name)))
    assert response.status_code == 302
    assert Household.objects.get().contact_name == name


def test_the_edit_form_ignores_a_duplicate_confirmation_it_never_offered(client_as, trainer, household_data):
    household = HouseholdFactory(structure=trainer.structure, neighbourhood=household_data()["neighbourhood"])
    data = {**form_data(household_data(size=4)), "confirm_duplicate": "on"}
    response = client_as(trainer).post(reverse("households:household_update", args=[household.pk]), data)
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.size == 4
