"""Reads of allocations and follow-ups, scoped to what each user may see."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from apps.core.scopes import within
from apps.devices.models import Device
from apps.households.matching import name_or_phone
from apps.households.privacy import ALLOCATION_TEXT_FIELDS, FOLLOW_UP_TEXT_FIELDS
from apps.households.selectors import visible_household_ids
from apps.training.choices import EnrolmentStatus
from apps.training.models import Enrolment
from apps.training.selectors import enrolments_visible_to, with_progress

from .choices import AllocationKind, AllocationStatus
from .models import Allocation, AllocationItem, FollowUp


def allocations_visible_to(user):
    """Trainers see their structure's allocations; coordinators and technicians see all
    (technicians without the household's personal data: see ``can_see_household``)."""
    if not user.has_perm("allocations.view_allocation"):
        return Allocation.objects.none()
    if user.has_perm("allocations.view_all_allocations"):
        return Allocation.objects.all()
    if user.structure_id is None:
        return Allocation.objects.none()
    return Allocation.objects.filter(structure_id=user.structure_id)


def can_see_household(user, allocation):
    return allocation.household_id in visible_household_ids(user, [allocation.household_id])


def visible_allocation_household_ids(user, allocations):
    """Of these allocations' households, the ones ``user`` may see: one query for a page."""
    return visible_household_ids(user, {allocation.household_id for allocation in allocations})


def hide_household_text(user, allocations, *, follow_ups=()):
    """Hide what was written about the household on ``allocations`` and their
    ``follow_ups`` (the fields the anonymisation blanks) wherever ``user`` may not see that
    household, technicians always: each is set to ``None`` on the objects read, which the
    page then leaves out and the API gives as ``null``, like the household's name.

    The one redaction the allocation page and the API read through. Returns the ids of the
    households ``user`` may see, for the name."""
    visible = visible_allocation_household_ids(user, allocations)
    hidden = {allocation.pk for allocation in allocations if allocation.household_id not in visible}
    for allocation in allocations:
        if allocation.pk in hidden:
            for field in ALLOCATION_TEXT_FIELDS:
                setattr(allocation, field, None)
    for follow_up in follow_ups:
        if follow_up.allocation_id in hidden:
            for field in FOLLOW_UP_TEXT_FIELDS:
                setattr(follow_up, field, None)
    return visible


def _with_follow_up(allocations):
    return allocations.annotate(
        has_follow_up=Exists(FollowUp.objects.filter(allocation=OuterRef("pk"), reached=True))
    )


def allocation_list(user):
    """The lists, screen and API: a row shows the household's name and the devices' tags.
    Only those are read; building the whole household, course and devices of every row
    was a sixth of the page."""
    return _with_follow_up(
        allocations_visible_to(user)
        .select_related("household", "enrolment")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=AllocationItem.objects.select_related("device").only(
                    "allocation", "device__asset_tag"
                ),
            ),
            Prefetch("devices", queryset=Device.objects.only("pk")),
        )
    )


def allocation_details(user):
    """Allocations with everything their own page, or a household's page, shows."""
    return _with_follow_up(
        allocations_visible_to(user)
        .select_related("household__neighbourhood", "enrolment__course", "structure")
        .prefetch_related(Prefetch("items", queryset=AllocationItem.objects.select_related("device")))
    )


def open_reservations_of(enrolment):
    """The reservations made through ``enrolment`` and not yet handed over, with their
    devices' tags: what withdrawing the household from the course would cancel."""
    return (
        Allocation.objects.filter(enrolment=enrolment, status=AllocationStatus.RESERVED)
        .prefetch_related(
            Prefetch(
                "items",
                queryset=AllocationItem.objects.select_related("device").only(
                    "allocation", "device__asset_tag"
                ),
            )
        )
        .order_by("pk")
    )


def follow_up_due_date(allocation):
    if allocation.handed_over_at is None:
        return None
    return timezone.localdate(allocation.handed_over_at) + timedelta(days=settings.FOLLOW_UP_DELAY_DAYS)


def follow_ups_due(user, *, today=None):
    """Hand-overs older than the follow-up delay whose household has not been reached yet."""
    today = today or timezone.localdate()
    # Handed over before the first instant of the day after the limit, Paris time: a bound on
    # the column itself, which its index serves (``__date`` converted every row's time zone).
    limit = today - timedelta(days=settings.FOLLOW_UP_DELAY_DAYS)
    handed_before = timezone.make_aware(datetime.combine(limit + timedelta(days=1), time.min))
    return (
        allocation_list(user)
        .filter(status=AllocationStatus.ACTIVE, handed_over_at__lt=handed_before, has_follow_up=False)
        .order_by("handed_over_at", "pk")
    )


def overdue_loans(user, *, today=None):
    today = today or timezone.localdate()
    return (
        allocation_list(user)
        .filter(status=AllocationStatus.ACTIVE, kind=AllocationKind.LOAN, due_on__lt=today)
        .order_by("due_on", "pk")
    )


def allocations_of_household(user, household):
    return allocation_details(user).filter(household=household)


def follow_ups_visible_to(user):
    return within(FollowUp.objects.all(), "allocation", allocations_visible_to(user)).select_related(
        "allocation"
    )


def enrolment_for(user, household):
    """The enrolment through which ``household`` may receive devices from ``user``'s courses:
    an active one, preferring a course whose rule is already met, then the latest."""
    return (
        with_progress(
            enrolments_visible_to(user).filter(household=household, status=EnrolmentStatus.ENROLLED)
        )
        .select_related("course", "household")
        .order_by("-is_completed", "-requested_at")
        .first()
    )


def reservable_enrolments(user):
    """Enrolments ``user`` may reserve devices for: enrolled (not waiting, not withdrawn) in a
    course they see, for a household whose details were not erased."""
    return enrolments_visible_to(user).filter(
        status=EnrolmentStatus.ENROLLED, household__anonymised_at__isnull=True
    )


def enrolments_to_reserve_for(user, text="", *, limit):
    """The reserve screen's choice of household: the ``limit`` newest enrolments whose
    household's name or phone contains ``text`` (any, without one), with how far each has come.

    A metropolis's coordinator sees 30,000 enrolments, which no page can list (a ``<select>``
    of them all took 2.4 s to render). The few are chosen first, by id; only they are then
    read with their progress, which counts attendance row by row.
    """
    enrolments = reservable_enrolments(user)
    if condition := name_or_phone(text, prefix="household__"):
        enrolments = enrolments.filter(condition)
    newest = list(enrolments.order_by("-pk").values_list("pk", flat=True)[:limit])
    return list(
        with_progress(Enrolment.objects.filter(pk__in=newest).select_related("household", "course")).order_by(
            "-pk"
        )
    )


def reservable_enrolment(user, pk):
    """The enrolment ``pk`` if ``user`` may reserve devices through it, with its progress; else ``None``."""
    return (
        with_progress(reservable_enrolments(user).select_related("household", "course")).filter(pk=pk).first()
    )
