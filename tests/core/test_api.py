"""The API base: authentication, token round trip, schema and docs, JSON errors."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_api_refuses_anonymous_requests(api_client):
    response = api_client.get("/api/structures/")
    assert response.status_code in (401, 403)
    assert "detail" in response.json()


def test_token_round_trip(api_client, technician):
    response = api_client.post("/api/auth/token/", {"username": "tech", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api_client.get("/api/structures/")
    assert response.status_code == 200
    assert [s["name"] for s in response.json()["results"]] == ["Régie de quartier Test"]


def test_token_with_bad_credentials_is_a_400_with_a_message(api_client, technician):
    response = api_client.post("/api/auth/token/", {"username": "tech", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_structures_list_is_paginated(api_as, technician, mediatheque, coordinator):
    body = api_as(technician).get("/api/structures/").json()
    assert body["count"] == 3
    assert set(body) >= {"count", "next", "previous", "results"}
    assert set(body["results"][0]) == {"id", "name", "kind", "city", "is_active"}


def test_only_coordinators_create_structures(api_as, trainer, coordinator):
    payload = {"name": "Centre social Nord", "kind": "social_centre", "city": "Lyon"}
    assert api_as(trainer).post("/api/structures/", payload).status_code == 403
    response = api_as(coordinator).post("/api/structures/", payload)
    assert response.status_code == 201, response.json()
    from apps.accounts.models import Structure

    created = Structure.objects.get(name="Centre social Nord")
    assert created.history.get().history_user == coordinator
    assert created.history.get().history_actor_name == "Camille Agent" + coordinator.last_name[5:]


def test_bad_input_is_a_400_with_field_errors(api_as, coordinator, regie):
    response = api_as(coordinator).post("/api/structures/", {"name": "", "kind": "castle"})
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"name", "kind"}
    response = api_as(coordinator).post("/api/structures/", {"name": regie.name, "kind": "regie"})
    assert response.status_code == 400
    assert "name" in response.json() or "non_field_errors" in response.json()


def test_schema_is_valid_openapi(api_as, technician):
    import yaml
    from drf_spectacular.validation import validate_schema

    response = api_as(technician).get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert "/api/structures/" in schema["paths"]
    assert "/api/auth/token/" in schema["paths"]


def test_api_docs_are_served_offline(client_as, technician):
    response = client_as(technician).get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html


def test_the_api_docs_page_answers_only_reading(client_as, technician):
    client = client_as(technician)
    assert client.head(reverse("api:docs")).status_code == 200
    assert client.options(reverse("api:docs")).status_code == 405
    assert client.post(reverse("api:docs")).status_code == 405
