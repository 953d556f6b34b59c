"""Test data builders, shared by every app's tests."""

from datetime import timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from apps.accounts.choices import Role, StructureKind
from apps.accounts.models import Structure, User
from apps.households import matching

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


# Households and training -----------------------------------------------------------------
# Built straight in the database for set-up; the behaviour under test goes through services.


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "households.Neighbourhood"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Quartier {n}")
    is_priority = True
    code = factory.Sequence(lambda n: f"QN069{n:02d}M")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "households.Household"

    contact_name = factory.Sequence(lambda n: f"Famille {n}")
    phone = factory.Sequence(lambda n: f"06 39 98 {n // 100 % 100:02d} {n % 100:02d}")
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    size = 3
    children = 1
    referred_by = "social_centre"
    consent_text = "J'accepte."
    structure = factory.SubFactory(StructureFactory)
    # The duplicate check compares these keys; the services keep them, so must the factory.
    phone_key = factory.LazyAttribute(lambda o: matching.phone_key(o.phone))
    name_key = factory.LazyAttribute(lambda o: matching.name_key(o.contact_name))


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.Course"
        skip_postgeneration_save = True

    structure = factory.SubFactory(StructureFactory)
    title = factory.Sequence(lambda n: f"Parcours {n}")
    place = "Salle multimédia"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    capacity = 8
    min_sessions = 4

    @factory.post_generation
    def trainers(self, create, extracted, **kwargs):
        if create and extracted:
            self.trainers.set(extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.Session"

    course = factory.SubFactory(CourseFactory)
    # In the past, within the course's dates: attendance can be taken.
    starts_at = factory.Sequence(lambda n: timezone.now() - timedelta(days=20 - n % 20))
    topic = "basic_use"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.Enrolment"

    course = factory.SubFactory(CourseFactory)
    household = factory.SubFactory(HouseholdFactory)
    status = "enrolled"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.Attendance"

    session = factory.SubFactory(SessionFactory)
    enrolment = factory.SubFactory(EnrolmentFactory)
    present = True
