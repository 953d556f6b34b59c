"""The three roles exist as groups and carry the permissions of the matrix."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from apps.accounts.choices import Role
from apps.accounts.models import Structure, User
from apps.accounts.roles import ROLE_PERMISSIONS, sync_role_groups

pytestmark = pytest.mark.django_db


def group_perms(role):
    return {
        f"{app}.{code}"
        for app, code in Group.objects.get(name=role.value).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_each_role_is_a_group_with_exactly_its_permissions():
    for role in Role:
        assert group_perms(role) == set(ROLE_PERMISSIONS[role]), role


def test_sync_is_idempotent_and_repairs_a_tampered_group():
    from django.apps import apps
    from django.contrib.auth.models import Permission

    trainer_group = Group.objects.get(name=Role.TRAINER.value)
    trainer_group.permissions.add(Permission.objects.get(codename="delete_structure"))
    sync_role_groups(apps)
    sync_role_groups(apps)
    assert "accounts.delete_structure" not in group_perms(Role.TRAINER)
    assert group_perms(Role.TRAINER) == set(ROLE_PERMISSIONS[Role.TRAINER])


def test_only_coordinators_manage_structures(technician, trainer, coordinator):
    assert coordinator.has_perm("accounts.change_structure")
    assert not trainer.has_perm("accounts.change_structure")
    assert not technician.has_perm("accounts.change_structure")
    assert technician.has_perm("accounts.view_structure")


def test_user_role_comes_from_the_group(technician, trainer, coordinator):
    assert technician.role == Role.TECHNICIAN
    assert trainer.role == Role.TRAINER
    assert coordinator.role == Role.COORDINATOR
    assert coordinator.is_coordinator and not trainer.is_coordinator


def test_load_demo_creates_one_login_per_role_and_a_second_run_changes_nothing():
    call_command("load_demo", stdout=open("/dev/null", "w"))
    snapshot = (
        User.objects.count(),
        Structure.objects.count(),
        Structure.history.count(),
        sorted(User.objects.values_list("username", "password", "structure__name")),
    )
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert snapshot == (
        User.objects.count(),
        Structure.objects.count(),
        Structure.history.count(),
        sorted(User.objects.values_list("username", "password", "structure__name")),
    )
    roles = {u.username: (u.role, u.structure.kind) for u in User.objects.select_related("structure")}
    assert roles == {
        "technicien": (Role.TECHNICIAN, "regie"),
        "formatrice": (Role.TRAINER, "mediatheque"),
        "coordinatrice": (Role.COORDINATOR, "agglomeration"),
    }
    for username in roles:
        assert User.objects.get(username=username).check_password("ordipratique")
