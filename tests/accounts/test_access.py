"""A user's permissions and roles: one query for both, the same answers as Django's."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.choices import Role
from apps.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_the_permissions_django_would_give(role):
    user = UserFactory(role=role)
    user.user_permissions.add(Permission.objects.get(codename="view_neighbourhood"))
    user.groups.add(Group.objects.create(name="Sans permission"))

    expected = ModelBackend().get_all_permissions(fresh(user))
    ours = fresh(user)
    assert {p for p in expected if ours.has_perm(p)} == expected
    assert ours.get_all_permissions() == expected
    assert "households.view_neighbourhood" in expected
    assert ours.role_names == {role.value, "Sans permission"}
    assert not ours.has_perm("auth.delete_group")


def test_an_inactive_user_has_no_permission_and_a_superuser_every_one():
    inactive = UserFactory(role=Role.COORDINATOR, is_active=False)
    boss = UserFactory(is_superuser=True)

    assert not fresh(inactive).has_perm("devices.view_device")
    assert fresh(boss).has_perm("auth.delete_group")


def test_a_page_reads_permissions_and_role_in_one_query(client_as, trainer):
    client = client_as(trainer)
    client.get(reverse("core:home"))

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("households:household_list")).status_code == 200

    access = [q["sql"] for q in queries if "auth_permission" in q["sql"] or "auth_group" in q["sql"]]
    assert len(access) == 1, access
