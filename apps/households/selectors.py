"""Reads on households and neighbourhoods, scoped to what the user may see.

Who sees a household: coordinators (``view_all_households``) see them all; a trainer sees
the households their structure registered and those enrolled in their structure's courses;
anyone without ``view_household`` (technicians) sees none. Screens and API both read through
``households_visible_to``, so an object outside the scope is a 404 everywhere.
"""

from django.db.models import Count, Q

from .models import Household, Neighbourhood


def households_visible_to(user, *, among=None):
    """The households ``user`` may see; of the ids ``among`` only, when given (a page's
    households, to know which of them to show)."""
    if not user.has_perm("households.view_household"):
        return Household.objects.none()
    if user.has_perm("households.view_all_households"):
        return Household.objects.all() if among is None else Household.objects.filter(pk__in=among)
    if user.structure_id is None:
        return Household.objects.none()
    # The ids of both groups, united first: each is one index range (the households the
    # structure registered; the enrolments in its courses), where "registered here OR
    # followed here" made the database test every household of the territory, even to
    # open one of them (8 ms at the scale of a metropolis; 2 ms this way).
    # The enrolment model is reached through the reverse relation: training builds on
    # households, not the other way round.
    enrolment = Household.enrolments.rel.related_model
    own_ids = Household.objects.filter(structure_id=user.structure_id).order_by().values("pk")
    followed_ids = (
        enrolment.objects.filter(course__structure_id=user.structure_id).order_by().values("household_id")
    )
    if among is not None:
        # Asked about a few: each group is searched for them alone, rather than listed whole.
        own_ids = own_ids.filter(pk__in=among)
        followed_ids = followed_ids.filter(household_id__in=among)
    return Household.objects.filter(pk__in=own_ids.union(followed_ids))


def visible_household_ids(user, ids):
    """Of the households ``ids``, those ``user`` may see: one query, whatever the size of
    the user's scope."""
    return set(households_visible_to(user, among=ids).order_by().values_list("pk", flat=True))


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
    visible = visible_household_ids(user, [duplicate.pk for duplicate in duplicates])
    return [duplicate for duplicate in duplicates if duplicate.pk in visible]


def neighbourhood_list():
    # Explicit order: Meta.ordering does not apply to a query with GROUP BY.
    return Neighbourhood.objects.annotate(household_count=Count("households")).order_by("name")
