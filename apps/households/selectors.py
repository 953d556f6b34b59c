"""Reads on households and neighbourhoods, scoped to what the user may see.

Who sees a household: coordinators (``view_all_households``) see them all; a trainer sees
the households their structure registered and those enrolled in their structure's courses;
anyone without ``view_household`` (technicians) sees none. Screens and API both read through
``households_visible_to``, so an object outside the scope is a 404 everywhere.
"""

from django.db.models import Count, Q

from .models import Household, Neighbourhood


def households_visible_to(user):
    if not user.has_perm("households.view_household"):
        return Household.objects.none()
    if user.has_perm("households.view_all_households"):
        return Household.objects.all()
    if user.structure_id is None:
        return Household.objects.none()
    # The ids of both groups, united first: each is one index range (the households the
    # structure registered; the enrolments in its courses), where "registered here OR
    # followed here" made the database test every household of the territory, even to
    # open one of them (8 ms at the scale of a metropolis; 2 ms this way).
    # The enrolment model is reached through the reverse relation: training builds on
    # households, not the other way round.
    enrolment = Household.enrolments.rel.related_model
    followed_ids = (
        enrolment.objects.filter(course__structure_id=user.structure_id).order_by().values("household_id")
    )
    own_ids = Household.objects.filter(structure_id=user.structure_id).order_by().values("pk")
    return Household.objects.filter(pk__in=own_ids.union(followed_ids))


def household_list(user):
    """The households list: one query for the page whatever its length."""
    return households_visible_to(user).select_related("neighbourhood", "structure")


def likely_duplicates_of(household):
    """Households that may be the same family: same phone, or same name in the same
    neighbourhood, across every structure (the same family is often referred twice)."""
    matches = []
    if household.phone_key:
        matches.append(Q(phone_key=household.phone_key))
    if household.name_key:
        matches.append(Q(name_key=household.name_key, neighbourhood_id=household.neighbourhood_id))
    if not matches:
        return Household.objects.none()
    condition = matches[0]
    for match in matches[1:]:
        condition |= match
    return (
        Household.objects.filter(condition, anonymised_at__isnull=True)
        .exclude(pk=household.pk)
        .select_related("neighbourhood", "structure")
    )


def duplicates_visible_to(user, duplicates):
    """The likely duplicates ``user`` may open; the others are only counted, never shown."""
    visible = set(
        households_visible_to(user).filter(pk__in=[d.pk for d in duplicates]).values_list("pk", flat=True)
    )
    return [duplicate for duplicate in duplicates if duplicate.pk in visible]


def neighbourhood_list():
    # Explicit order: Meta.ordering does not apply to a query with GROUP BY.
    return Neighbourhood.objects.annotate(household_count=Count("households")).order_by("name")
