import pytest
from rest_framework.test import APIClient

from apps.accounts.choices import Role, StructureKind

from .factories import StructureFactory, UserFactory


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
