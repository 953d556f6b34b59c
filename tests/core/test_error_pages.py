"""Error pages speak the user's language and offer a way on, never Django's bare English."""

import pytest
from django.test import Client
from django.urls import reverse
from django.views.defaults import server_error

from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_a_household_out_of_a_trainers_scope_is_not_found_in_french(client_as, other_trainer):
    household = HouseholdFactory()
    response = client_as(other_trainer).get(reverse("households:household_detail", args=[household.pk]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html and "n'est pas ouverte à votre compte" in html
    assert household.contact_name not in html
    assert 'class="main-nav"' in html or "Se déconnecter" in html


def test_a_technician_who_scans_an_unknown_tag_can_scan_again(client_as, technician):
    response = client_as(technician).get("/devices/OP-999999/")
    assert response.status_code == 404
    assert 'name="tag"' in response.content.decode()


def test_a_role_without_the_permission_is_told_in_french(client_as, coordinator):
    response = client_as(coordinator).get(reverse("devices:donation_create"))
    assert response.status_code == 403
    assert "Votre rôle ne permet pas cette action" in response.content.decode()


def test_a_stale_form_is_explained_in_french():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Cette page a expiré" in response.content.decode()


def test_a_server_error_page_needs_no_database_and_is_in_french(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Un problème est survenu de notre côté" in html
    assert "/static/css/app.css" in html
