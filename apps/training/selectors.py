"""Reads on courses, sessions, enrolments and attendance, scoped to what the user may see.

Coordinators (``view_all_courses``) see every course; a trainer sees the courses of their own
structure, and through them their sessions, enrolments and attendance; anyone without
``view_course`` sees none. Screens and API read through these functions, so an object
outside the scope is a 404 on both.

Completion is computed here and only here (``with_progress``); the allocations app asks
``enrolment_progress()`` / ``completed_enrolments()`` whether a household may receive a device.
"""

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.formats import date_format, time_format

from apps.accounts.choices import Role
from apps.core.expressions import count_of
from apps.core.scopes import within
from apps.households.matching import name_or_phone
from apps.households.selectors import households_visible_to

from .attendance_sheet import AttendanceSheet, SheetLine
from .choices import EnrolmentStatus, Progress
from .models import Attendance, Course, Enrolment, Session, start_of_tomorrow

ACTIVE_STATUSES = [EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING]


def present_count():
    """Households marked present at each session (a correlated count: see ``count_of``)."""
    return count_of(Attendance.objects.filter(session=OuterRef("pk"), present=True), "session")


def courses_visible_to(user):
    if not user.has_perm("training.view_course"):
        return Course.objects.none()
    if user.has_perm("training.view_all_courses"):
        return Course.objects.all()
    if user.structure_id is None:
        return Course.objects.none()
    return Course.objects.filter(structure_id=user.structure_id)


def course_list(user):
    """Courses with their figures, in a fixed number of queries for any page length."""
    return (
        courses_visible_to(user)
        .select_related("structure")
        .prefetch_related("trainers")
        .annotate(
            enrolled_count=count_of(
                Enrolment.objects.filter(course=OuterRef("pk"), status=EnrolmentStatus.ENROLLED), "course"
            ),
            waiting_count=count_of(
                Enrolment.objects.filter(course=OuterRef("pk"), status=EnrolmentStatus.WAITING), "course"
            ),
            session_count=count_of(Session.objects.filter(course=OuterRef("pk")), "course"),
            held_session_count=count_of(
                Session.objects.filter(course=OuterRef("pk"), starts_at__lt=start_of_tomorrow()), "course"
            ),
        )
    )


def with_progress(enrolments):
    """Annotate each enrolment with ``attended_sessions``, its ``progress`` (a ``Progress``
    value) and ``is_completed``. The completion rule, written once: an enrolled household
    that attended at least the course's ``min_sessions``."""
    completion_rule = Q(status=EnrolmentStatus.ENROLLED, attended_sessions__gte=F("course__min_sessions"))
    # A correlated count rather than a grouped join: the query stays ungrouped, so the
    # database can start from whatever narrows the enrolments (a course, a period) instead
    # of walking every enrolment in the order a GROUP BY wants.
    attended = count_of(Attendance.objects.filter(enrolment=OuterRef("pk"), present=True), "enrolment")
    return enrolments.annotate(attended_sessions=attended).annotate(
        progress=Case(
            When(status=EnrolmentStatus.WITHDRAWN, then=Value(Progress.DROPPED_OUT)),
            When(status=EnrolmentStatus.WAITING, then=Value(Progress.WAITING)),
            When(completion_rule, then=Value(Progress.COMPLETED)),
            When(attended_sessions=F("course__min_sessions") - 1, then=Value(Progress.CLOSE)),
            default=Value(Progress.IN_PROGRESS),
            output_field=CharField(),
        ),
        is_completed=ExpressionWrapper(completion_rule, output_field=BooleanField()),
    )


def completed_enrolments():
    """Enrolments whose household has met its course's completion rule (all structures)."""
    return with_progress(Enrolment.objects.all()).filter(is_completed=True)


def enrolment_progress(enrolment_id):
    """One enrolment with its course and the figures of ``with_progress``: whether its
    household has met the course's rule, and how far it is (the hand-over asks this)."""
    return with_progress(Enrolment.objects.select_related("course")).get(pk=enrolment_id)


def enrolments_visible_to(user):
    return within(Enrolment.objects.all(), "course", courses_visible_to(user))


def enrolment_list(user):
    return with_progress(enrolments_visible_to(user).select_related("course", "household")).order_by(
        "requested_at", "pk"
    )


def enrolments_to_withdraw(user):
    """Enrolments ``user`` may withdraw (not withdrawn yet), with what the withdrawal screen
    names; no progress figures, which it does not show."""
    return (
        enrolments_visible_to(user)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("course", "household")
    )


def course_enrolments(course):
    """The enrolments of a course page, active ones first, the waiting list in its order."""
    return with_progress(course.enrolments.select_related("household__neighbourhood", "course")).order_by(
        Case(
            When(status=EnrolmentStatus.ENROLLED, then=Value(0)),
            When(status=EnrolmentStatus.WAITING, then=Value(1)),
            default=Value(2),
        ),
        "requested_at",
        "pk",
    )


def enrolments_of_household(user, household):
    """The household's enrolments in the courses ``user`` may see."""
    return with_progress(
        enrolments_visible_to(user).filter(household=household).select_related("course")
    ).order_by("-requested_at", "-pk")


def waiting_position(enrolment):
    """1 for the next household to be promoted."""
    ahead = Enrolment.objects.filter(course_id=enrolment.course_id, status=EnrolmentStatus.WAITING).filter(
        Q(requested_at__lt=enrolment.requested_at)
        | Q(requested_at=enrolment.requested_at, pk__lt=enrolment.pk)
    )
    return ahead.count() + 1


def households_to_enrol(user, course):
    """Households ``user`` may enrol in ``course``: visible, not anonymised, not already in it."""
    already_in = Enrolment.objects.filter(course=course, status__in=ACTIVE_STATUSES).values("household")
    return (
        households_visible_to(user)
        .filter(anonymised_at__isnull=True)
        .exclude(pk__in=already_in)
        .select_related("neighbourhood")
    )


def households_to_enrol_found(user, course, text="", *, limit):
    """The enrol screen's choice: the ``limit`` households last registered among those ``user``
    may enrol in ``course``, or those whose name or phone contains ``text``."""
    households = households_to_enrol(user, course)
    if condition := name_or_phone(text):
        households = households.filter(condition)
    return list(households.order_by("-pk")[:limit])


def trainers_of(structure):
    """Members of ``structure`` with the trainer role: who may run its courses."""
    return get_user_model().objects.filter(structure=structure, groups__name=Role.TRAINER.value)


def sessions_visible_to(user):
    return within(Session.objects.all(), "course", courses_visible_to(user))


def session_list(user):
    return (
        sessions_visible_to(user)
        .select_related("course")
        .annotate(present_count=present_count())
        .order_by("starts_at", "pk")
    )


def course_sessions(course):
    return course.sessions.annotate(present_count=present_count()).order_by("starts_at", "pk")


def attendance_roll(session):
    """Who is expected at ``session``: the households enrolled now, plus anyone whose
    attendance was taken there before they withdrew. Each row carries ``present``
    (True, False, or None when not taken yet)."""
    taken_here = Attendance.objects.filter(session=session, enrolment=OuterRef("pk"))
    return (
        Enrolment.objects.filter(course_id=session.course_id)
        .filter(Q(status=EnrolmentStatus.ENROLLED) | Exists(taken_here))
        .select_related("household")
        .annotate(present=Subquery(taken_here.values("present")[:1]))
        .order_by("household__contact_name", "pk")
    )


def attendances_visible_to(user):
    return within(Attendance.objects.all(), "session__course", courses_visible_to(user)).select_related(
        "enrolment"
    )


def attendance_sheet_of(session):
    """What the printed attendance sheet of ``session`` shows: the households enrolled now."""
    course = session.course
    starts_at, ends_at = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    enrolled = (
        course.enrolments.filter(status=EnrolmentStatus.ENROLLED)
        .select_related("household")
        .order_by("household__contact_name", "pk")
    )
    return AttendanceSheet(
        course_title=course.title,
        structure_name=course.structure.name,
        topic=" · ".join(part for part in [session.get_topic_display(), session.title] if part),
        date=date_format(starts_at, "l j F Y"),
        time=f"{time_format(starts_at, 'H:i')} – {time_format(ends_at, 'H:i')}",
        place=session.where,
        trainers=tuple(str(trainer) for trainer in course.trainers.all()),
        lines=tuple(SheetLine(e.household.contact_name, e.household.size) for e in enrolled),
    )


def colleagues_of(user):
    """The users ``user`` may name as a course's trainers: their structure's members (anyone's
    for a user who sees every structure). The service checks they belong to the course's structure
    and hold the trainer role."""
    users = get_user_model().objects.all()
    if user.has_perm("training.view_all_courses"):
        return users
    return users.filter(structure_id=user.structure_id) if user.structure_id else users.none()
