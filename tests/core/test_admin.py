"""The admin shows the device, household and training records for audits and changes none of
them, even for a superuser: a change there would skip the services' rules and actor."""

import pytest
from django.contrib import admin
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from apps.devices.choices import ErasureResult
from tests.devices.factories import DeviceFactory, ErasureFactory
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_a_superuser_reads_an_erasure_in_the_admin_but_cannot_change_it(superuser_client):
    erasure = ErasureFactory(result=ErasureResult.FAILED)
    url = reverse("admin:devices_erasure_change", args=[erasure.pk])
    page = superuser_client.get(url)
    assert page.status_code == 200
    assert erasure.drive_serial in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert superuser_client.post(url, {"result": ErasureResult.PASSED}).status_code == 403
    erasure.refresh_from_db()
    assert erasure.result == ErasureResult.FAILED


@pytest.mark.parametrize(
    "model", ["devices_donor", "devices_donation", "devices_device", "devices_intervention", "devices_erasure",
              "households_household", "training_course", "training_session", "training_enrolment",
              "training_attendance"],
)  # fmt: skip
def test_no_record_is_added_through_the_admin(superuser_client, model):
    assert superuser_client.get(reverse(f"admin:{model}_add")).status_code == 403


def form_data(obj, **changes):
    """What the admin's form for ``obj`` would post, with ``changes``."""
    data = {
        name: value
        for name, value in model_to_dict(obj).items()
        if value is not None and not isinstance(value, FieldFile)
    }
    data.update(
        {name: [item.pk for item in value] for name, value in data.items() if isinstance(value, list)}
    )
    return {**data, **changes}


def history_form_url(obj):
    version = obj.history.earliest().history_id
    return reverse(
        f"admin:{obj._meta.app_label}_{obj._meta.model_name}_simple_history", args=[obj.pk, version]
    )


def test_a_past_version_cannot_be_saved_back_by_a_coordinator_who_may_only_read(client_as, coordinator):
    # django-simple-history's "revert" page saves a posted form for anyone who may view the
    # record: a coordinator could retitle a course, or rewrite an erasure.
    course = CourseFactory(title="Premiers pas")
    course.save()  # a first history row
    client = client_as(coordinator)
    assert client.get(history_form_url(course)).status_code == 200
    assert client.post(history_form_url(course), form_data(course, title="Changed")).status_code == 403
    course.refresh_from_db()
    assert course.title == "Premiers pas"


def test_a_past_version_cannot_be_saved_back_even_by_a_superuser(superuser_client):
    device = DeviceFactory(brand="Dell")
    assert superuser_client.post(history_form_url(device), form_data(device, brand="HP")).status_code == 403
    device.refresh_from_db()
    assert device.brand == "Dell"


def test_every_admin_with_history_refuses_to_save_a_past_version():
    with_history = [type(model_admin) for model_admin in admin.site._registry.values()
                    if isinstance(model_admin, SimpleHistoryAdmin)]  # fmt: skip
    assert len(with_history) >= 10
    assert all(
        model_admin.history_form_view is not SimpleHistoryAdmin.history_form_view
        for model_admin in with_history
    )
