"""Login, each role's home page, deny-by-default, and French by default."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/admin/", "/i18n/setlang/"])
def test_anonymous_users_are_sent_to_the_login_page(client, path):
    response = client.get(path)
    if path == "/i18n/setlang/":
        # Choosing a language works before logging in (the login page has the switch).
        assert response.status_code in (302, 405)
        return
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/") or response["Location"].startswith(
        "/admin/login/"
    )


def test_login_page_is_in_french_by_default(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Se connecter" in html
    assert "Nom d’utilisateur" in html or "Nom d'utilisateur" in html


def test_english_can_be_chosen(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html


def test_login_with_username_and_password_lands_on_the_home_page(client, technician):
    response = client.post("/accounts/login/", {"username": "tech", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("core:home")
    assert "Bonjour Camille" in response.content.decode()


def test_wrong_password_shows_an_error_and_stays_logged_out(client, technician):
    response = client.post("/accounts/login/", {"username": "tech", "password": "nope"})
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_rotates_the_session_key(client, technician):
    client.get("/accounts/login/")
    client.cookies["sessionid"] = "attacker-chosen"
    client.post("/accounts/login/", {"username": "tech", "password": PASSWORD})
    assert client.cookies["sessionid"].value != "attacker-chosen"


def test_logout_is_a_post_and_ends_the_session(client_as, technician):
    client = client_as(technician)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_coordinator_home_shows_settings(client_as, coordinator):
    html = client_as(coordinator).get("/").content.decode()
    assert "Coordinateur·rice" in html
    assert 'href="/admin/"' in html


@pytest.mark.parametrize("user_fixture", ["technician", "trainer"])
def test_field_roles_do_not_see_settings(client_as, request, user_fixture):
    user = request.getfixturevalue(user_fixture)
    response = client_as(user).get("/")
    assert response.status_code == 200
    assert 'href="/admin/"' not in response.content.decode()


def test_coordinator_reaches_the_admin_but_trainer_does_not(client_as, coordinator, trainer, client):
    assert client_as(coordinator).get("/admin/").status_code == 200
    client.logout()
    assert client_as(trainer).get("/admin/").status_code == 302


def test_pages_load_no_asset_from_the_internet(client_as, coordinator):
    html = client_as(coordinator).get("/").content.decode()
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html
    assert "/static/django-htmx/" in html or "htmx" in html


def test_the_base_layout_is_phone_friendly(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_browser_language_does_not_override_french(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="fr">' in html
    assert "Se connecter" in html
