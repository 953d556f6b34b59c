"""Password guessing: django-axes locks a username from one address after 5 failures."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

LOGIN = reverse("login")


@pytest.fixture(autouse=True)
def _axes(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


def _login(username, password, ip="10.0.0.1"):
    return Client(REMOTE_ADDR=ip).post(LOGIN, {"username": username, "password": password})


def _token(username, password, ip="10.0.0.1"):
    return Client(REMOTE_ADDR=ip).post(
        "/api/auth/token/", {"username": username, "password": password}, content_type="application/json"
    )


def _logged_in(response):
    return response.status_code == 302 and response["Location"] == "/"


def test_five_failures_lock_that_username_from_that_address(trainer, in_english):
    for _ in range(4):
        assert _login("trainer", "wrong").status_code == 200
    locked = _login("trainer", "wrong")
    assert locked.status_code == 429
    # Even the right password is refused now, and the page says why.
    response = _login("trainer", PASSWORD)
    assert response.status_code == 429
    assert not _logged_in(response)
    assert "Logging in with this username from this address is locked" in response.content.decode()


def test_another_address_or_another_user_still_signs_in(trainer, coordinator):
    for _ in range(5):
        _login("trainer", "wrong", ip="10.0.0.1")
    assert _logged_in(_login("trainer", PASSWORD, ip="10.0.0.2"))
    assert _logged_in(_login("coord", PASSWORD, ip="10.0.0.1"))


def test_a_success_resets_the_count(trainer):
    for _ in range(4):
        _login("trainer", "wrong")
    assert _logged_in(_login("trainer", PASSWORD))
    for _ in range(4):
        _login("trainer", "wrong")
    assert _logged_in(_login("trainer", PASSWORD))


def test_the_api_token_endpoint_counts_too(trainer):
    for _ in range(5):
        assert _token("trainer", "wrong").status_code in {400, 429}
    # Locked: even the right password gets no token from that address.
    locked = _token("trainer", PASSWORD)
    assert locked.status_code in {400, 403, 429}
    assert "token" not in locked.json()
    assert _logged_in(_login("trainer", PASSWORD, ip="10.0.0.2"))
    assert _token("trainer", PASSWORD, ip="10.0.0.2").status_code == 200


def test_failures_through_the_api_lock_the_login_page_too(trainer):
    for _ in range(5):
        _token("trainer", "wrong")
    assert not _logged_in(_login("trainer", PASSWORD))
