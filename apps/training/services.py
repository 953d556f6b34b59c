"""Writes on courses, sessions, enrolments and attendance. Screens, API and demo data all
come through here, so the capacity, the waiting list and the history work the same on every path."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.core.exceptions import ConflictError, DomainError
from apps.core.history import with_actor

from . import selectors
from .choices import ENROLMENT_MOVES, EnrolmentStatus
from .models import Attendance, Course, Enrolment, Session, start_of_tomorrow

EDITABLE_COURSE_FIELDS = frozenset(
    {"title", "description", "place", "starts_on", "ends_on", "capacity", "min_sessions", "trainers"}
)
EDITABLE_SESSION_FIELDS = frozenset({"starts_at", "duration_minutes", "topic", "title", "place"})


@dataclass
class Withdrawal:
    """What a withdrawal did: the withdrawn enrolment, whom it let in from the waiting list,
    and the reservations it cancelled."""

    enrolment: Enrolment
    promoted: list[Enrolment] = field(default_factory=list)
    cancelled: list = field(default_factory=list)  # allocations


# Courses ---------------------------------------------------------------------------------


@transaction.atomic
def create_course(
    *,
    actor,
    structure,
    title,
    place,
    starts_on,
    ends_on,
    capacity,
    min_sessions,
    trainers=(),
    description="",
):
    """A course run by ``structure``; a trainer creates courses for their own structure only,
    and its trainers are members of that structure."""
    if structure is None:
        raise DomainError(
            _("Your account is not attached to a partner structure; ask your coordinator."),
            code="no_structure",
            field="structure",
        )
    if (
        actor is not None
        and not actor.has_perm("training.view_all_courses")
        and actor.structure_id != structure.pk
    ):
        raise DomainError(
            _("You can only create courses for your own structure."),
            code="other_structure",
            field="structure",
        )
    course = Course(
        structure=structure,
        title=title,
        description=description,
        place=place,
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        min_sessions=min_sessions,
    )
    _check_trainers(course, trainers)
    course.full_clean()
    with_actor(course, actor).save()
    with_actor(course, actor).trainers.set(trainers)
    return course


@transaction.atomic
def update_course(course, *, actor, **fields):
    """Change a course. Its capacity never drops below the households already enrolled;
    when it grows, the waiting list moves up into the new places."""
    unknown = set(fields) - EDITABLE_COURSE_FIELDS
    if unknown:
        raise TypeError(f"update_course() cannot change {sorted(unknown)}")
    course = _lock_course(course)
    trainers = fields.pop("trainers", None)
    required_before = course.min_sessions
    for name, value in fields.items():
        setattr(course, name, value)
    course.full_clean()
    if course.min_sessions < required_before and Attendance.objects.filter(session__course=course).exists():
        # Lowered once attendance is known, the rule would hand devices to households it
        # did not admit, without the coordinator's written reason that an early hand-over needs.
        raise DomainError(
            _(
                "Attendance has been taken: the number of sessions to attend can no longer be lowered. "
                "A coordinator may hand devices over before the rule is met, with a reason."
            ),
            code="rule_locked",
            field="min_sessions",
        )
    enrolled = course.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
    if course.capacity < enrolled:
        raise DomainError(
            _("%(count)d households are already enrolled: the capacity cannot be lower.")
            % {"count": enrolled},
            code="capacity_below_enrolled",
            field="capacity",
        )
    if course.sessions.exclude(starts_at__date__range=(course.starts_on, course.ends_on)).exists():
        raise DomainError(
            _("Some sessions fall outside these dates: move them first."),
            code="sessions_outside_dates",
            field="ends_on",
        )
    if trainers is not None:
        _check_trainers(course, trainers)
    with_actor(course, actor).save()
    if trainers is not None:
        with_actor(course, actor).trainers.set(trainers)
    _fill_from_waiting_list(course, actor=actor)
    return course


def _check_trainers(course, trainers):
    """The screens offer only the structure's trainers; the API accepts any colleague's id,
    so the rule is checked here, for every path."""
    trainers = list(trainers)
    strangers = [str(trainer) for trainer in trainers if trainer.structure_id != course.structure_id]
    if strangers:
        raise DomainError(
            _("%(names)s do not belong to the structure running the course.")
            % {"names": ", ".join(strangers)},
            code="trainer_outside_structure",
            field="trainers",
        )
    with_role = set(
        selectors.trainers_of(course.structure_id)
        .filter(pk__in=[trainer.pk for trainer in trainers])
        .values_list("pk", flat=True)
    )
    not_trainers = [str(trainer) for trainer in trainers if trainer.pk not in with_role]
    if not_trainers:
        raise DomainError(
            ngettext(
                "%(names)s does not have the trainer role: only trainers can run a course.",
                "%(names)s do not have the trainer role: only trainers can run a course.",
                len(not_trainers),
            )
            % {"names": ", ".join(not_trainers)},
            code="not_a_trainer",
            field="trainers",
        )


def _lock_course(course):
    """Re-read the course under a row lock. Every change to its enrolments takes this lock
    first, so two trainers enrolling at the same moment are served one after the other and
    both see the other's enrolment when counting the places left."""
    return Course.objects.select_for_update().get(pk=course.pk)


# Sessions --------------------------------------------------------------------------------


@transaction.atomic
def create_session(*, actor, course, starts_at, topic, duration_minutes=120, title="", place=""):
    """A dated session of ``course``, within the course's dates."""
    session = Session(
        course=course,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        topic=topic,
        title=title,
        place=place,
    )
    return _save_session(session, actor=actor)


@transaction.atomic
def update_session(session, *, actor, **fields):
    """Move a session, or change its topic or place; it stays within the course's dates."""
    unknown = set(fields) - EDITABLE_SESSION_FIELDS
    if unknown:
        raise TypeError(f"update_session() cannot change {sorted(unknown)}")
    for name, value in fields.items():
        setattr(session, name, value)
    return _save_session(session, actor=actor)


def _save_session(session, *, actor):
    # The course lock serialises this with a change of the course's dates (``update_course``
    # checks its sessions under the same lock), and the dates are read from the locked row,
    # not from a copy loaded before someone else moved them.
    course = session.course = _lock_course(session.course)
    session.full_clean()
    if session.pk and session.starts_at >= start_of_tomorrow() and session.attendances.exists():
        # Its attendance counts towards the course rule only for a session that took place.
        raise DomainError(
            _("Attendance was taken at this session: it cannot move to a day still to come."),
            code="attendance_taken",
            field="starts_at",
        )
    if not course.starts_on <= timezone.localtime(session.starts_at).date() <= course.ends_on:
        raise DomainError(
            _("The session must take place between the course's start and end (%(start)s to %(end)s).")
            % {"start": date_format(course.starts_on), "end": date_format(course.ends_on)},
            code="outside_course_dates",
            field="starts_at",
        )
    with_actor(session, actor).save()
    return session


# Enrolments ------------------------------------------------------------------------------


@transaction.atomic
def enrol_household(*, actor, course, household):
    """Enrol ``household`` in ``course``, or put it on the waiting list when the course is
    full. Never over capacity, even when several people enrol at the same moment (the
    course row is locked while the places are counted). Returns the enrolment; its
    ``status`` says which it was."""
    course = _lock_course(course)
    if household.anonymised_at is not None:
        raise ConflictError(
            _("This household has been anonymised; it cannot be enrolled."), code="anonymised"
        )
    enrolment = Enrolment.objects.filter(course=course, household=household).first()
    if enrolment is not None and enrolment.status != EnrolmentStatus.WITHDRAWN:
        raise ConflictError(
            _("%(household)s is already in this course (%(status)s).")
            % {"household": household, "status": enrolment.get_status_display()},
            code="already_enrolled",
            field="household",
        )
    has_room = course.enrolments.filter(status=EnrolmentStatus.ENROLLED).count() < course.capacity
    status = EnrolmentStatus.ENROLLED if has_room else EnrolmentStatus.WAITING
    now = timezone.now()
    if enrolment is None:
        enrolment = Enrolment(course=course, household=household, status=status, requested_at=now)
        enrolment.status_changed_at = now
        enrolment.full_clean()
        with_actor(enrolment, actor).save()
        return enrolment
    # Coming back after a withdrawal: the same row, at the back of the queue.
    enrolment.requested_at = now
    enrolment.withdrawal_reason = ""
    return move_enrolment(enrolment, status, actor=actor, reason=str(_("enrolled again")))


@transaction.atomic
def withdraw_enrolment(*, actor, enrolment, reason):
    """Withdraw an enrolment, with the reason. If the household held a place, the first
    household of the waiting list takes it. Devices reserved through this enrolment are
    freed (the reservation is cancelled): a household gets devices only through a course
    it follows."""
    from apps.allocations import services as allocation_services
    from apps.allocations.selectors import open_reservations_of

    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the household withdraws."), code="reason_required", field="reason")
    course = _lock_course(enrolment.course)
    # Only the enrolment row is locked (``of``); its household comes along for the caller's message.
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",)).select_related("household").get(pk=enrolment.pk)
    )
    held_a_place = enrolment.status == EnrolmentStatus.ENROLLED
    enrolment.withdrawal_reason = reason
    move_enrolment(enrolment, EnrolmentStatus.WITHDRAWN, actor=actor, reason=reason)
    # A neutral note, not the reason: the reason is about the household and stays with it.
    cancelled = [
        allocation_services.cancel(
            reservation, actor=actor, note=str(_("The household withdrew from the course"))
        )
        # Locked, and read again once free: one handed over meanwhile is no longer open.
        for reservation in open_reservations_of(enrolment).select_for_update(of=("self",))
    ]
    promoted = _fill_from_waiting_list(course, actor=actor) if held_a_place else []
    return Withdrawal(enrolment=enrolment, promoted=promoted, cancelled=cancelled)


def move_enrolment(enrolment, status, *, actor, reason=""):
    """The one place an enrolment changes status; refuses a move ``ENROLMENT_MOVES`` does not allow."""
    status = EnrolmentStatus(status)
    current = EnrolmentStatus(enrolment.status)
    if status not in ENROLMENT_MOVES[current]:
        raise ConflictError(
            _("This enrolment is %(current)s: it cannot become %(target)s.")
            % {"current": current.label.lower(), "target": status.label.lower()},
            code="illegal_move",
        )
    enrolment.status = status
    enrolment.status_changed_at = timezone.now()
    enrolment.full_clean()
    with_actor(enrolment, actor, reason).save()
    return enrolment


def _fill_from_waiting_list(course, *, actor):
    """Promote waiting households, first asked first, into the free places. The caller holds
    the course lock."""
    free = course.capacity - course.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
    if free <= 0:
        return []
    waiting = (
        course.enrolments.filter(status=EnrolmentStatus.WAITING)
        .select_related("household")
        .order_by("requested_at", "pk")[:free]
    )
    return [
        move_enrolment(
            enrolment, EnrolmentStatus.ENROLLED, actor=actor, reason=str(_("promoted from the waiting list"))
        )
        for enrolment in waiting
    ]


# Attendance ------------------------------------------------------------------------------


@transaction.atomic
def record_attendance(*, actor, session, household, present):
    """Mark ``household`` present or absent at ``session`` (taking it again overwrites it).

    Only an enrolled household, and only from the day of the session. Writing the same value
    again changes nothing and adds no history row, so a double tap is harmless.
    """
    # The course's lock first, as a change of its rule or a move of its sessions takes it
    # (they check what attendance exists): the session is read again under it.
    session = (
        Session.objects.select_related("course").select_for_update(of=("self", "course")).get(pk=session.pk)
    )
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("household")
        .filter(course_id=session.course_id, household=household)
        .first()
    )
    if enrolment is None or enrolment.status != EnrolmentStatus.ENROLLED:
        raise DomainError(
            _("%(household)s is not enrolled in this course.") % {"household": household},
            code="not_enrolled",
            field="household",
        )
    if not session.is_held:
        raise DomainError(
            _("This session has not taken place yet: attendance can be taken from its day."),
            code="session_not_held",
        )
    attendance = Attendance.objects.filter(session=session, enrolment=enrolment).first()
    if attendance is not None and attendance.present == present:
        return attendance
    if attendance is None:
        attendance = Attendance(session=session, enrolment=enrolment, present=present)
    attendance.present = present
    attendance.recorded_at = timezone.now()
    attendance.full_clean()
    with_actor(attendance, actor).save()
    return attendance
