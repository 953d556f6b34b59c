"""Registering households: the duplicate check, the invariants, and the audit trail."""

import pytest
from django.core.exceptions import ValidationError

from apps.core.exceptions import ConflictError, DomainError
from apps.households import services
from apps.households.models import Household
from tests.factories import HouseholdFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def register(trainer, data, **flags):
    return services.register_household(actor=trainer, structure=trainer.structure, **data, **flags)


def test_registering_records_the_structure_and_a_history_row_naming_the_trainer(trainer, household_data):
    household = register(trainer, household_data())

    assert household.structure == trainer.structure
    assert household.lives_in_priority_area is True
    row = household.history.get()
    assert row.history_type == "+"
    assert row.history_user == trainer
    assert row.history_actor_name == trainer.get_full_name()
    assert row.contact_name == "Fatima Benali"


@pytest.mark.parametrize("phone", ["+33 6 12 34 56 78", "06.12.34.56.78", "0033612345678"])
def test_same_phone_in_another_format_is_a_likely_duplicate(trainer, household_data, gratte_ciel, phone):
    first = register(trainer, household_data())

    with pytest.raises(services.LikelyDuplicateError) as caught:
        register(trainer, household_data(contact_name="Karim Haddad", phone=phone, neighbourhood=gratte_ciel))

    assert caught.value.code == "likely_duplicate"
    assert caught.value.duplicates == [first]
    assert "may already be registered" in caught.value.message
    assert Household.objects.count() == 1


def test_same_name_with_other_accents_and_case_in_the_same_neighbourhood_is_a_likely_duplicate(
    trainer, household_data
):
    register(trainer, household_data(contact_name="Fatima Bénali"))

    with pytest.raises(services.LikelyDuplicateError):
        register(trainer, household_data(contact_name="BENALI fatima", phone="07 00 00 00 01"))


def test_same_name_in_another_neighbourhood_with_another_phone_is_not_a_duplicate(
    trainer, household_data, gratte_ciel
):
    register(trainer, household_data())

    other = register(trainer, household_data(phone="07 00 00 00 01", neighbourhood=gratte_ciel))

    assert other.pk


def test_duplicates_are_found_across_structures(trainer, other_trainer, household_data):
    theirs = register(other_trainer, household_data())

    with pytest.raises(services.LikelyDuplicateError) as caught:
        register(trainer, household_data())

    assert caught.value.duplicates == [theirs]


def test_confirming_registers_it_anyway_and_the_audit_says_so(trainer, household_data):
    register(trainer, household_data())

    second = register(trainer, household_data(), confirm_duplicate=True)

    assert Household.objects.count() == 2
    assert second.history.get().history_change_reason == "registered despite a likely duplicate"


def test_an_anonymised_household_is_no_longer_a_duplicate(trainer, household_data):
    HouseholdFactory(contact_name="Fatima Benali", phone="06 12 34 56 78", anonymised_at="2025-01-01T00:00Z")

    assert register(trainer, household_data()).pk


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"size": 2, "children": 3}, "more children than people"),
        ({"size": 0, "children": 0}, "at least one person"),
    ],
)
def test_household_invariants_are_refused_with_a_message(trainer, household_data, changes, message):
    with pytest.raises(ValidationError) as caught:
        register(trainer, household_data(**changes))

    assert message in str(caught.value)
    assert not Household.objects.exists()


def test_a_user_without_structure_cannot_register(coordinator, household_data):
    coordinator.structure = None
    with pytest.raises(DomainError) as caught:
        services.register_household(actor=coordinator, structure=None, **household_data())
    assert caught.value.code == "no_structure"


def test_updating_keeps_history_with_actor_and_refreshes_the_duplicate_keys(trainer, household_data):
    household = register(trainer, household_data())

    services.update_household(household, actor=trainer, phone="+33 7 11 22 33 44", size=5)

    household.refresh_from_db()
    assert household.phone_key == "0711223344"
    latest = household.history.first()
    assert (latest.history_type, latest.history_user, latest.size) == ("~", trainer, 5)
    with pytest.raises(TypeError):
        services.update_household(household, actor=trainer, structure=None)


def test_an_anonymised_household_cannot_be_changed(trainer):
    household = HouseholdFactory(anonymised_at="2025-01-01T00:00Z")
    with pytest.raises(ConflictError):
        services.update_household(household, actor=trainer, size=2)


def test_neighbourhood_codes_are_unique_when_given(coordinator):
    services.create_neighbourhood(actor=coordinator, name="Saint-Jean", code="qn06901m", is_priority=True)
    services.create_neighbourhood(actor=coordinator, name="Cusset")
    services.create_neighbourhood(actor=coordinator, name="Gratte-Ciel")

    with pytest.raises(ValidationError) as caught:
        services.create_neighbourhood(actor=coordinator, name="Autre", code="QN06901M")

    assert "already has this official code" in str(caught.value)
