from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionTopic(models.TextChoices):
    BASIC_USE = "basic_use", _("Basic use of a computer")
    ONLINE_RIGHTS = "online_rights", _("Online access to rights")
    PARENTING_DIGITAL = "parenting_digital", _("Parenting in the digital age")
    OTHER = "other", _("Other")


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITING = "waiting", _("On the waiting list")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The moves an enrolment may make; ``services.move_enrolment`` refuses any other.
# A withdrawn household may come back, as enrolled or on the waiting list.
ENROLMENT_MOVES = {
    EnrolmentStatus.WAITING: {EnrolmentStatus.ENROLLED, EnrolmentStatus.WITHDRAWN},
    EnrolmentStatus.ENROLLED: {EnrolmentStatus.WITHDRAWN},
    EnrolmentStatus.WITHDRAWN: {EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING},
}


class Progress(models.TextChoices):
    """Where an enrolment stands against its course's completion rule. Computed from
    attendance by ``selectors.with_progress``, never stored."""

    COMPLETED = "completed", _("Completed")
    CLOSE = "close", _("Close: one session short")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("On the waiting list")
    DROPPED_OUT = "dropped_out", _("Dropped out")
