import pytest
from django.conf import settings
from rest_framework.test import APIClient

from apps.accounts.choices import Role, StructureKind

from .factories import StructureFactory, UserFactory

# Real hashers are slow on purpose; tests create many users and test no cryptography.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def regie(db):
    return StructureFactory(name="Régie de quartier Test", kind=StructureKind.REGIE)


@pytest.fixture
def mediatheque(db):
    return StructureFactory(name="Médiathèque Test", kind=StructureKind.MEDIATHEQUE)


@pytest.fixture
def other_association(db):
    return StructureFactory(name="Autre association", kind=StructureKind.ASSOCIATION)


@pytest.fixture
def agglomeration(db):
    return StructureFactory(name="Agglomération Test", kind=StructureKind.AGGLOMERATION)


@pytest.fixture
def technician(regie):
    return UserFactory(username="tech", role=Role.TECHNICIAN, structure=regie)


@pytest.fixture
def trainer(mediatheque):
    return UserFactory(username="trainer", role=Role.TRAINER, structure=mediatheque)


@pytest.fixture
def other_trainer(other_association):
    return UserFactory(username="other-trainer", role=Role.TRAINER, structure=other_association)


@pytest.fixture
def coordinator(agglomeration):
    return UserFactory(username="coord", role=Role.COORDINATOR, structure=agglomeration)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as():
    """``api_as(user)`` returns an API client authenticated as that user."""

    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def client_as(client):
    """``client_as(user)`` logs the Django test client in as that user."""

    def make(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def in_english(settings):
    """Screens, API errors and messages in English (the source language), so assertions on
    text hold before and after the French catalog is updated."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def queries_do_not_grow():
    """``queries_do_not_grow(request, add_rows)`` asserts that ``request()`` (a GET answering
    200) runs as many queries after ``add_rows()`` as before: a list of 20 rows costs what a
    list of 1 does. A first request warms the caches (content types, permissions)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(request):
        with CaptureQueriesContext(connection) as queries:
            response = request()
        assert response.status_code == 200, response.content[:500]
        return len(queries)

    def check(request, add_rows):
        request()
        before = count(request)
        add_rows()
        after = count(request)
        assert before == after, f"{before} queries before adding rows, {after} after"

    return check


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, as pytest-django makes it; on PostgreSQL, before it is dropped, the
    sessions still connected to it are ended. Playwright's event loop runs test code in an
    async context of its own, whose database connection the main thread cannot reach to
    close; PostgreSQL then refused to drop the database and pytest warned at every run."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        connection.close()
