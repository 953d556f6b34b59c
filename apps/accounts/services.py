"""Writes on accounts and structures."""

from django.contrib.auth.models import Group
from django.db import transaction

from apps.core.history import with_actor

from .choices import Role
from .models import Structure, User


@transaction.atomic
def create_structure(*, name, kind, city="", is_active=True, actor=None):
    structure = Structure(name=name, kind=kind, city=city, is_active=is_active)
    structure.full_clean()
    with_actor(structure, actor).save()
    return structure


@transaction.atomic
def create_staff_user(*, username, password, role, structure, first_name="", last_name="", email=""):
    """A member of staff with one role. Coordinators also get the admin site."""
    role = Role(role)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        structure=structure,
        is_staff=role == Role.COORDINATOR,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.set([Group.objects.get(name=role.value)])
    return user


@transaction.atomic
def update_structure(structure, *, actor=None, **fields):
    for name, value in fields.items():
        setattr(structure, name, value)
    structure.full_clean()
    with_actor(structure, actor).save()
    return structure
