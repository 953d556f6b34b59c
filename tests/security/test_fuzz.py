"""API fuzzing with schemathesis against ``/api/schema/``, in-process through the WSGI app.

Every operation of the schema is a test; each sends generated requests with a real token
(a coordinator's; seeded data so that ``{id}`` paths can hit real rows) and checks that no
answer is a 500 and every documented answer matches the schema. A short profile runs in the
suite; ``FUZZ_EXAMPLES=200 pytest tests/security/test_fuzz.py`` runs a longer one.
"""

import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from ordipratique.wsgi import application

from .conftest import build_world

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def token(regie, mediatheque, trainer, technician, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    build_world(regie=regie, mediatheque=mediatheque, trainer=trainer, technician=technician)
    return Token.objects.create(user=coordinator).key


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():
    """The WSGI handler closes the database connection after each request; the test's
    transaction lives on it, so do what Django's test client does: keep it open."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _load_schema():
    """The schema as ``/api/schema/`` serves it, generated in-process at collection (no
    database needed), and bound to the WSGI app so that cases are sent to it directly."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(generated)))
    loaded.app = application
    loaded.location = "/api/schema/"
    return loaded


SCHEMA = _load_schema()
OPERATIONS = {op.label: op for op in (result.ok() for result in SCHEMA.get_all_operations())}


def test_the_served_schema_is_the_one_fuzzed(token, client):
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token}"
    served = client.get("/api/schema/?format=json").json()
    assert sorted(served["paths"]) == sorted({label.split(" ", 1)[1] for label in OPERATIONS})


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_api(label, token):
    operation = OPERATIONS[label]
    headers = {"Authorization": f"Token {token}"}

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def fuzz(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    fuzz()
