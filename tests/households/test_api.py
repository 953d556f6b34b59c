"""/api/households/ and /api/neighbourhoods/: the contract, the duplicate check, the scoping."""

import pytest

from apps.households.models import Household
from tests.factories import CourseFactory, EnrolmentFactory, HouseholdFactory, NeighbourhoodFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

HOUSEHOLD_FIELDS = {
    "id",
    "contact_name",
    "phone",
    "email",
    "address",
    "neighbourhood",
    "lives_in_priority_area",
    "size",
    "children",
    "referred_by",
    "referring_structure",
    "no_computer_at_home",
    "consent_at",
    "consent_text",
    "gender",
    "age_bracket",
    "notes",
    "structure",
    "created_at",
}


def payload(data):
    return {**data, "neighbourhood": data["neighbourhood"].pk}


def test_household_fields_follow_the_contract(api_as, trainer):
    household = HouseholdFactory(structure=trainer.structure)

    body = api_as(trainer).get("/api/households/").json()

    assert body["count"] == 1
    item = body["results"][0]
    assert set(item) == HOUSEHOLD_FIELDS
    assert item["contact_name"] == household.contact_name
    assert item["neighbourhood"] == household.neighbourhood_id
    assert item["lives_in_priority_area"] is True


def test_creating_a_household_through_the_api(api_as, trainer, household_data):
    response = api_as(trainer).post("/api/households/", payload(household_data()), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["structure"] == trainer.structure.pk
    assert "confirm_duplicate" not in body
    assert Household.objects.get().history.get().history_user == trainer


def test_structure_and_dates_cannot_be_written(api_as, trainer, other_trainer, household_data):
    data = {
        **payload(household_data()),
        "structure": other_trainer.structure.pk,
        "created_at": "2001-01-01T00:00Z",
    }

    response = api_as(trainer).post("/api/households/", data, format="json")

    assert response.status_code == 201
    assert Household.objects.get().structure == trainer.structure


def test_a_likely_duplicate_is_a_409_until_confirmed(api_as, trainer, household_data):
    existing = HouseholdFactory(
        contact_name="Fatima Benali", phone="06 12 34 56 78", structure=trainer.structure
    )
    client = api_as(trainer)
    data = payload(household_data(contact_name="Autre Personne", phone="+33612345678"))

    refused = client.post("/api/households/", data, format="json")

    assert refused.status_code == 409
    assert refused.json()["code"] == "likely_duplicate"
    assert refused.json()["duplicates"] == [existing.pk]
    assert Household.objects.count() == 1

    accepted = client.post("/api/households/", {**data, "confirm_duplicate": True}, format="json")

    assert accepted.status_code == 201
    assert Household.objects.count() == 2


def test_a_duplicate_outside_the_scope_is_not_named(api_as, trainer, other_trainer, household_data):
    HouseholdFactory(contact_name="Fatima Benali", phone="06 12 34 56 78", structure=other_trainer.structure)

    refused = api_as(trainer).post("/api/households/", payload(household_data()), format="json")

    assert refused.status_code == 409
    assert refused.json()["duplicates"] == []


def test_bad_input_is_a_400_not_a_500(api_as, trainer, household_data):
    response = api_as(trainer).post(
        "/api/households/", payload(household_data(size=1, children=3, referred_by="aliens")), format="json"
    )

    assert response.status_code == 400
    assert "referred_by" in response.json()

    response = api_as(trainer).post(
        "/api/households/", payload(household_data(size=1, children=3)), format="json"
    )
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        "There cannot be more children than people in the household."
    ]


def test_scoping_a_trainer_of_another_structure_gets_404(api_as, trainer, other_trainer):
    household = HouseholdFactory(structure=trainer.structure)
    client = api_as(other_trainer)

    assert client.get(f"/api/households/{household.pk}/").status_code == 404
    assert client.patch(f"/api/households/{household.pk}/", {"size": 1}, format="json").status_code == 404
    assert client.get("/api/households/").json()["count"] == 0


def test_a_household_enrolled_in_the_trainers_course_is_visible_and_filterable(
    api_as, trainer, other_trainer
):
    followed = HouseholdFactory(structure=other_trainer.structure)
    course = CourseFactory(structure=trainer.structure)
    EnrolmentFactory(household=followed, course=course)
    HouseholdFactory(structure=trainer.structure)

    body = api_as(trainer).get("/api/households/", {"course": course.pk}).json()

    assert [item["id"] for item in body["results"]] == [followed.pk]


@pytest.mark.parametrize("course", ["abc", "1.5", "0", "99999999999999999999999"])
def test_a_course_filter_that_is_not_an_id_is_a_400_that_says_so(api_as, trainer, course):
    response = api_as(trainer).get("/api/households/", {"course": course})

    assert response.status_code == 400
    assert "course" in response.json()


def test_technicians_get_403_on_households(api_as, technician):
    HouseholdFactory(structure=technician.structure)
    client = api_as(technician)

    assert client.get("/api/households/").status_code == 403
    assert client.get("/api/neighbourhoods/").status_code == 403


def test_coordinators_read_every_household_and_change_none(api_as, coordinator, trainer, other_trainer):
    HouseholdFactory(structure=trainer.structure)
    theirs = HouseholdFactory(structure=other_trainer.structure)
    client = api_as(coordinator)

    assert client.get("/api/households/").json()["count"] == 2
    assert client.patch(f"/api/households/{theirs.pk}/", {"size": 1}, format="json").status_code == 403


def test_patching_a_household_goes_through_the_service(api_as, trainer):
    household = HouseholdFactory(structure=trainer.structure, size=3, children=1)

    response = api_as(trainer).patch(f"/api/households/{household.pk}/", {"size": 5}, format="json")

    assert response.status_code == 200
    assert response.json()["size"] == 5
    assert household.history.first().history_user == trainer


def test_households_cannot_be_deleted(api_as, trainer):
    household = HouseholdFactory(structure=trainer.structure)
    # Refused by the permissions (no delete permission) before the method is even looked at.
    assert api_as(trainer).delete(f"/api/households/{household.pk}/").status_code in (403, 405)
    assert Household.objects.filter(pk=household.pk).exists()


def test_neighbourhoods_contract_and_who_writes(api_as, trainer, coordinator):
    NeighbourhoodFactory(name="Saint-Jean", code="QN06901M", is_priority=True)

    body = api_as(trainer).get("/api/neighbourhoods/").json()
    assert body["results"] == [
        {"id": body["results"][0]["id"], "name": "Saint-Jean", "code": "QN06901M", "is_priority": True}
    ]

    new = {"name": "Cusset", "code": "", "is_priority": False}
    assert api_as(trainer).post("/api/neighbourhoods/", new, format="json").status_code == 403
    created = api_as(coordinator).post("/api/neighbourhoods/", new, format="json")
    assert created.status_code == 201
    assert set(created.json()) == {"id", "name", "code", "is_priority"}


@pytest.mark.parametrize("url", ["/api/households/", "/api/neighbourhoods/"])
def test_api_lists_run_as_many_queries_for_20_rows_as_for_1(api_as, trainer, queries_do_not_grow, url):
    client = api_as(trainer)
    HouseholdFactory(structure=trainer.structure)

    queries_do_not_grow(
        lambda: client.get(url), lambda: HouseholdFactory.create_batch(19, structure=trainer.structure)
    )
