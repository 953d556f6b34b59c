from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.history import audited_history
from apps.core.validators import plausible_date, plausible_moment

from .choices import EnrolmentStatus, Progress, SessionTopic


def start_of_tomorrow():
    """Local midnight ahead. A session counts as held from its day on: attendance is taken
    on the day, and the completion figures count it from then."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time.min))


class Course(models.Model):
    """A training course (parcours) run by one partner structure: a series of sessions for a
    limited number of households, with the rule that says when a household has completed it."""

    structure = models.ForeignKey(
        "accounts.Structure", verbose_name=_("structure"), on_delete=models.PROTECT, related_name="courses"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("trainers"), related_name="courses_trained", blank=True
    )
    place = models.CharField(_("place"), max_length=200)
    starts_on = models.DateField(_("starts on"), validators=[plausible_date])
    ends_on = models.DateField(_("ends on"), validators=[plausible_date])
    # Generous bounds that only a typing slip crosses (32,767 households, sessions or minutes
    # were accepted, the column's own limit).
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), help_text=_("Number of households."), validators=[MaxValueValidator(1000)]
    )
    min_sessions = models.PositiveSmallIntegerField(
        _("sessions to attend"),
        help_text=_("The course is completed by a household that attended at least this many sessions."),
        validators=[MaxValueValidator(200)],
    )
    created_at = models.DateTimeField(_("created on"), default=timezone.now, editable=False)

    history = audited_history(m2m_fields=[trainers])

    class Meta:
        ordering = ["-starts_on", "title", "pk"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        permissions = [
            ("view_all_courses", _("Can see the courses of every structure")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gt=0),
                name="course_capacity_positive",
                violation_error_message=_("A course has room for at least one household."),
            ),
            models.CheckConstraint(
                condition=Q(min_sessions__gte=1),
                name="course_min_sessions_positive",
                violation_error_message=_("The completion rule needs at least one session."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="course_ends_after_start",
                violation_error_message=_("A course cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("training:course_detail", args=[self.pk])


class Session(models.Model):
    """One dated meeting of a course, where attendance is taken."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts at"), validators=[plausible_moment])
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=120, validators=[MaxValueValidator(12 * 60)]
    )
    topic = models.CharField(_("topic"), max_length=20, choices=SessionTopic.choices)
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("Optional, to say more."))
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("If not the course's place.")
    )

    history = audited_history()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"], name="session_starts_at_idx")]  # the report's period
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0),
                name="session_duration_positive",
                violation_error_message=_("A session lasts at least one minute."),
            ),
        ]

    def __str__(self):
        return self.title or self.get_topic_display()

    def get_absolute_url(self):
        return reverse("training:session_detail", args=[self.pk])

    @property
    def is_held(self):
        return self.starts_at < start_of_tomorrow()

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def where(self):
        return self.place or self.course.place


class Enrolment(models.Model):
    """A household in a course: enrolled, on the waiting list, or withdrawn (with a reason).

    One row per household and course; coming back after a withdrawal reuses it, so history
    tells the whole story. ``status`` only changes through ``services``.
    """

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrolments"
    )
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    status = models.CharField(_("status"), max_length=10, choices=EnrolmentStatus.choices)
    # Order of the waiting list: first asked, first promoted.
    requested_at = models.DateTimeField(_("asked on"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed on"), default=timezone.now)
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=250, blank=True)

    history = audited_history()

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "course"],
                name="enrolment_unique_household_course",
                violation_error_message=_("This household already has an enrolment in this course."),
            ),
            models.CheckConstraint(
                condition=~Q(status=EnrolmentStatus.WITHDRAWN) | ~Q(withdrawal_reason=""),
                name="enrolment_withdrawal_has_reason",
                violation_error_message=_("A withdrawal needs a reason."),
            ),
        ]
        indexes = [
            models.Index(fields=["course", "status"], name="enrolment_course_status"),
            # The enrolments list (screen and API) in its own order: without it, every page
            # sorted the territory's 30,000 enrolments to keep 50.
            models.Index(fields=["requested_at", "id"], name="enrolment_requested_idx"),
        ]

    def __str__(self):
        return f"{self.household} · {self.course}"

    def get_absolute_url(self):
        return reverse("training:course_detail", args=[self.course_id]) + f"#enrolment-{self.pk}"

    @property
    def progress_label(self):
        """Label of the ``progress`` annotation that ``selectors.with_progress`` adds."""
        return Progress(self.progress).label


class Attendance(models.Model):
    """Whether an enrolled household was present at a session. No row means not taken yet."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="attendances"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="attendances"
    )
    present = models.BooleanField(_("present"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history = audited_history()

    class Meta:
        ordering = ["session", "enrolment"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"],
                name="attendance_unique_session_enrolment",
                violation_error_message=_(
                    "Attendance is already recorded for this household at this session."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.enrolment.household} · {self.session}"
