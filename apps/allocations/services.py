"""Every write on allocations and follow-ups.

Devices change status through ``apps.devices.services.transition`` only; the allocation and
its devices change in the same transaction, so they never disagree. Devices are locked in
a fixed order (by id) before anything is checked: two people reserving or handing over the
same device at the same moment are served one after the other, and the second is refused.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.core.exceptions import ConflictError, DomainError
from apps.core.history import actor_name, with_actor
from apps.core.validators import plausible_date
from apps.devices import services as device_services
from apps.devices.choices import DeviceStatus
from apps.devices.models import Device
from apps.households.models import Household
from apps.training.choices import EnrolmentStatus
from apps.training.models import Enrolment
from apps.training.selectors import enrolment_progress

from .choices import AllocationKind, AllocationStatus, ReturnCondition
from .models import Allocation, AllocationItem, FollowUp

A = AllocationStatus


def _check_kind(kind, due_on):
    if kind not in AllocationKind.values:
        raise DomainError(_("Choose a gift or a loan."), field="kind")
    if kind == AllocationKind.LOAN:
        if due_on is None:
            raise DomainError(_("A loan needs a due date."), code="due_date_required", field="due_on")
        if due_on <= timezone.localdate():
            raise DomainError(_("The due date of a loan must be in the future."), field="due_on")
        try:
            plausible_date(due_on)
        except ValidationError as exc:
            raise DomainError(exc.messages[0], code="implausible_date", field="due_on") from exc
    elif due_on is not None:
        raise DomainError(_("A gift has no due date."), field="due_on")


def _lock_devices(devices):
    ids = sorted({device.pk for device in devices})
    return list(Device.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _lock(allocation, *, allowed, action):
    """Lock the allocation row and check it is in one of the ``allowed`` statuses."""
    locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if locked.status not in allowed:
        raise ConflictError(
            _("This allocation is “%(status)s”: it cannot be %(action)s.")
            % {"status": locked.get_status_display(), "action": action},
            code="allocation_state",
        )
    return locked


def _move_devices(allocation, to, *, actor, note):
    for device in _lock_devices(allocation.devices.all()):
        device_services.transition(device, to, actor=actor, note=note, via_allocation=True)


def _close_items(allocation):
    for item in allocation.items.filter(is_open=True):
        item.is_open = False
        item.save(update_fields=["is_open"])


def reserve(*, actor, enrolment, devices, kind, due_on=None, notes=""):
    """Set ``devices`` (a kit) aside for the household of ``enrolment``: all of them or none.

    The household must be enrolled (not waiting, not withdrawn) in the course; each device
    must be ready. The hand-over comes later, once the course rule is met.
    """
    _check_kind(kind, due_on)
    devices = list(devices)
    if not devices:
        raise DomainError(_("Choose at least one device."), code="no_devices", field="devices")
    with transaction.atomic():
        # The row lock an erasure of the household takes, taken first (as the erasure does)
        # so that the two are served one after the other.
        household = Household.objects.select_for_update().get(pk=enrolment.household_id)
        # Then the enrolment's, which a withdrawal holds while it cancels the enrolment's
        # reservations: a reservation is made before the withdrawal (and cancelled by it)
        # or after it (and refused here), never left open on a withdrawn enrolment.
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",)).select_related("course").get(pk=enrolment.pk)
        )
        if enrolment.status != EnrolmentStatus.ENROLLED:
            raise DomainError(
                _(
                    "This household is “%(status)s” in the course: a device is only given to an enrolled household."
                )
                % {"status": enrolment.get_status_display()},
                code="not_enrolled",
                field="household",
            )
        if household.anonymised_at is not None:
            raise ConflictError(
                _("This household's details were erased on request: no device can be reserved for it."),
                code="anonymised",
                field="household",
            )
        locked = _lock_devices(devices)
        not_ready = [d for d in locked if d.status != DeviceStatus.READY]
        if not_ready:
            raise ConflictError(
                _("%(tags)s: not ready (%(status)s). Choose devices that are ready.")
                % {
                    "tags": ", ".join(d.asset_tag for d in not_ready),
                    "status": ", ".join(str(d.get_status_display()) for d in not_ready),
                },
                code="device_not_ready",
                field="devices",
            )
        allocation = Allocation(
            household=household,
            enrolment=enrolment,
            structure_id=enrolment.course.structure_id,
            kind=kind,
            due_on=due_on,
            notes=notes,
            reserved_by=actor,
        )
        allocation.full_clean()
        with_actor(allocation, actor).save()
        try:
            with transaction.atomic():
                AllocationItem.objects.bulk_create(
                    AllocationItem(allocation=allocation, device=d) for d in locked
                )
        except IntegrityError as exc:
            raise ConflictError(
                _("One of these devices was just given to another household."),
                code="device_taken",
                field="devices",
            ) from exc
        note = _("Reserved: allocation no. %(number)s") % {"number": allocation.number}
        for device in locked:
            device_services.transition(
                device, DeviceStatus.RESERVED, actor=actor, note=note, via_allocation=True
            )
    return allocation


def eligibility(allocation):
    """``(is_eligible, attended, required)``: has the household met its course's rule?"""
    enrolment = enrolment_progress(allocation.enrolment_id)
    return bool(enrolment.is_completed), enrolment.attended_sessions, enrolment.course.min_sessions


def hand_over(allocation, *, actor, override_reason="", due_on=None):
    """Hand the reserved devices over, once the household has met the course rule.

    Before that, only a coordinator may hand over, and must write why; never to a household
    no longer enrolled. A loan's due date may be set again at hand-over (``due_on``), and
    must be, when the one set at the reservation has come meanwhile.
    """
    override_reason = (override_reason or "").strip()
    with transaction.atomic():
        allocation = _lock(allocation, allowed={A.RESERVED}, action=_("handed over"))
        enrolment = allocation.enrolment
        if enrolment.status != EnrolmentStatus.ENROLLED:
            raise ConflictError(
                _(
                    "This household is “%(status)s” in the course: it can no longer receive the devices. "
                    "Cancel the reservation."
                )
                % {"status": enrolment.get_status_display()},
                code="not_enrolled",
            )
        if due_on is not None or allocation.kind == AllocationKind.LOAN:
            if due_on is None and allocation.due_on <= timezone.localdate():
                raise DomainError(
                    _("The due date set at the reservation (%(due)s) has come: give the loan a new due date.")
                    % {"due": date_format(allocation.due_on)},
                    code="due_date_passed",
                    field="due_on",
                )
            allocation.due_on = due_on or allocation.due_on
            _check_kind(allocation.kind, allocation.due_on)
        eligible, attended, required = eligibility(allocation)
        if not eligible:
            if not actor.has_perm("allocations.override_allocation_rule"):
                raise DomainError(
                    _(
                        "The household has attended %(attended)d of the %(required)d sessions the course requires: "
                        "it cannot receive the devices yet. A coordinator may decide otherwise, with a reason."
                    )
                    % {"attended": attended, "required": required},
                    code="not_eligible",
                )
            if not override_reason:
                raise DomainError(
                    _(
                        "The household has attended %(attended)d of the %(required)d sessions required: "
                        "write why you hand the devices over anyway."
                    )
                    % {"attended": attended, "required": required},
                    code="override_reason_required",
                    field="override_reason",
                )
            allocation.override_reason = override_reason
        allocation.status = A.ACTIVE
        allocation.handed_over_at = timezone.now()
        allocation.handed_over_by = actor
        # The override's reason is in its column (which the anonymisation blanks), not
        # repeated as the change reason.
        with_actor(allocation, actor).save()
        kind = allocation.get_kind_display()
        _move_devices(
            allocation,
            DeviceStatus.ALLOCATED,
            actor=actor,
            note=_("Handed over (%(kind)s): allocation no. %(number)s")
            % {"kind": kind, "number": allocation.number},
        )
    return allocation


def return_allocation(allocation, *, actor, condition, note=""):
    """The household brings the devices back: they go back to diagnosis, to be checked and erased.

    ``note`` stays on the allocation (``closing_note``), for those who may see the household."""
    if condition not in ReturnCondition.values:
        raise DomainError(_("Say in what condition the devices came back."), field="condition")
    with transaction.atomic():
        allocation = _lock(allocation, allowed={A.ACTIVE}, action=_("returned"))
        allocation.status = A.RETURNED
        allocation.closed_at = timezone.now()
        allocation.return_condition = condition
        allocation.closing_note = (note or "").strip()
        with_actor(allocation, actor).save()
        _close_items(allocation)
        # The devices' moves say what the régie needs (the condition), not the trainer's note.
        text = _("Returned (%(condition)s): allocation no. %(number)s") % {
            "condition": ReturnCondition(condition).label,
            "number": allocation.number,
        }
        _move_devices(allocation, DeviceStatus.RETURNED, actor=actor, note=text)
        for device in allocation.devices.all():
            device_services.transition(
                device, DeviceStatus.DIAGNOSIS, actor=actor, note=_("Back for a check")
            )
    return allocation


def convert_to_gift(allocation, *, actor, note=""):
    with transaction.atomic():
        allocation = _lock(allocation, allowed={A.ACTIVE}, action=_("turned into a gift"))
        if allocation.kind != AllocationKind.LOAN:
            raise ConflictError(_("This allocation is already a gift."), code="already_gift")
        allocation.kind = AllocationKind.GIFT
        allocation.due_on = None
        allocation.full_clean()
        with_actor(allocation, actor, note or _("Loan turned into a gift")).save()
    return allocation


def cancel(allocation, *, actor, note=""):
    """Cancel a reservation: the devices are ready for someone else. ``note`` (why) stays on
    the allocation (``closing_note``), like a return's."""
    with transaction.atomic():
        allocation = _lock(allocation, allowed={A.RESERVED}, action=_("cancelled"))
        allocation.status = A.CANCELLED
        allocation.closed_at = timezone.now()
        allocation.closing_note = (note or "").strip()
        with_actor(allocation, actor).save()
        _close_items(allocation)
        text = _("Reservation cancelled: allocation no. %(number)s") % {"number": allocation.number}
        _move_devices(allocation, DeviceStatus.READY, actor=actor, note=text)
    return allocation


def declare_lost(allocation, *, actor, note=""):
    """The devices are lost or stolen; ``note`` (what happened) stays on the allocation."""
    with transaction.atomic():
        allocation = _lock(allocation, allowed={A.ACTIVE}, action=_("declared lost"))
        allocation.status = A.LOST
        allocation.closed_at = timezone.now()
        allocation.closing_note = (note or "").strip()
        with_actor(allocation, actor).save()
        _close_items(allocation)
        text = _("Declared lost or stolen: allocation no. %(number)s") % {"number": allocation.number}
        _move_devices(allocation, DeviceStatus.LOST, actor=actor, note=text)
    return allocation


@transaction.atomic
def record_follow_up(allocation, *, actor, **fields):
    """Note a contact with the household after the hand-over."""
    if allocation.handed_over_at is None:
        raise DomainError(_("Devices not yet handed over have no follow-up."), code="not_handed_over")
    if not fields.get("reached"):
        fields["in_use"] = None
    follow_up = FollowUp(
        allocation=allocation, recorded_by=actor, recorded_by_name=actor_name(actor), **fields
    )
    follow_up.full_clean()
    with_actor(follow_up, actor).save()
    return follow_up
