"""Test data builders, shared by every app's tests."""

import factory
from django.contrib.auth.models import Group

from apps.accounts.choices import Role, StructureKind
from apps.accounts.models import Structure, User

PASSWORD = "correct-horse-battery"


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Structure {n}")
    kind = StructureKind.ASSOCIATION
    city = "Villeurbanne"


class UserFactory(factory.django.DjangoModelFactory):
    """``UserFactory(role=Role.TRAINER)`` puts the user in that role's group."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Agent{n}")
    structure = factory.SubFactory(StructureFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=Role(extracted).value))
            if Role(extracted) == Role.COORDINATOR:
                self.is_staff = True
        self.save()
