from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.history import audited_history
from apps.core.validators import not_in_the_future, plausible_date

from .choices import AllocationKind, AllocationStatus, ReturnCondition

OPEN_STATUSES = [AllocationStatus.RESERVED, AllocationStatus.ACTIVE]


class Allocation(models.Model):
    """One or more devices handed to a household through its enrolment in a course.

    A gift or a loan (with a due date). Reserved first, then handed over once the course
    rule is met; later returned, converted to a gift, or declared lost.
    """

    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    enrolment = models.ForeignKey(
        "training.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    structure = models.ForeignKey(
        "accounts.Structure",
        verbose_name=_("structure"),
        on_delete=models.PROTECT,
        related_name="allocations",
        help_text=_("The structure running the course, which hands the devices over."),
    )
    devices = models.ManyToManyField(
        "devices.Device", through="AllocationItem", verbose_name=_("devices"), related_name="allocations"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AllocationKind.choices)
    due_on = models.DateField(
        _("due on"),
        null=True,
        blank=True,
        help_text=_("For a loan: when it comes back."),
        validators=[plausible_date],
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AllocationStatus.choices,
        default=AllocationStatus.RESERVED,
        editable=False,
    )
    reserved_at = models.DateTimeField(_("reserved at"), default=timezone.now, editable=False)
    reserved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reserved by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True, editable=False)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    override_reason = models.TextField(
        _("reason for handing over before the course rule is met"), blank=True, editable=False
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    return_condition = models.CharField(
        _("condition on return"), max_length=10, choices=ReturnCondition.choices, blank=True, editable=False
    )
    # What the trainer wrote on the cancellation, return or loss: about the household as often as the
    # devices, so kept here, where the anonymisation blanks it, and never copied to the
    # devices' moves, which every role reads.
    closing_note = models.TextField(
        _("closing note"),
        blank=True,
        editable=False,
        help_text=_(
            "Why the reservation was cancelled, the devices came back, or were declared lost or stolen."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)

    history = audited_history()

    class Meta:
        ordering = ["-reserved_at", "-pk"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        permissions = [
            ("hand_over_allocation", _("Can hand devices over to a household")),
            ("override_allocation_rule", _("Can hand over before the course rule is met")),
            ("view_all_allocations", _("Can see the allocations of every structure")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=AllocationKind.GIFT, due_on__isnull=True)
                | Q(kind=AllocationKind.LOAN, due_on__isnull=False),
                name="allocation_loan_has_due_date",
                violation_error_message=_("A loan needs a due date, and a gift has none."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=AllocationStatus.values),
                name="allocation_status_known",
                violation_error_message=_("Unknown status."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "handed_over_at"], name="allocation_status_handed_idx"),
            # A structure's follow-ups due: its active hand-overs past the delay. Without the
            # structure first, a trainer's list walked every structure's backlog.
            models.Index(
                fields=["structure", "status", "handed_over_at"], name="allocation_struct_handed_idx"
            ),
            models.Index(fields=["handed_over_at"], name="allocation_handed_over_idx"),
            # Devices with households today, gift or loan (the report's stock): read from
            # the indexes alone, with the items' index below.
            # Also the overdue loans, in the order of their due dates.
            models.Index(fields=["status", "kind", "due_on"], name="allocation_status_kind_due_idx"),
            # The allocations list, newest reservation first.
            models.Index(fields=["reserved_at", "id"], name="allocation_reserved_idx"),
        ]

    def __str__(self):
        return _("Allocation no. %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("allocations:allocation_detail", args=[self.pk])

    @property
    def number(self):
        return f"{self.pk:05d}"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES


class AllocationItem(models.Model):
    """One device of an allocation. ``is_open`` holds while the allocation is reserved or
    handed over, so the database itself refuses a device in two open allocations."""

    allocation = models.ForeignKey(
        Allocation, verbose_name=_("allocation"), on_delete=models.PROTECT, related_name="items"
    )
    device = models.ForeignKey(
        "devices.Device", verbose_name=_("device"), on_delete=models.PROTECT, related_name="allocation_items"
    )
    is_open = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = _("allocated device")
        verbose_name_plural = _("allocated devices")
        indexes = [models.Index(fields=["allocation", "is_open"], name="allocationitem_open_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["device"],
                condition=Q(is_open=True),
                name="allocationitem_one_open_per_device",
                violation_error_message=_("This device already belongs to another open allocation."),
            ),
            models.UniqueConstraint(
                fields=["allocation", "device"],
                name="allocationitem_unique_device_per_allocation",
                violation_error_message=_("This device is already in the allocation."),
            ),
        ]

    def __str__(self):
        return f"{self.allocation_id}: {self.device_id}"


class FollowUp(models.Model):
    """A contact with the household months after the hand-over: is the computer used?"""

    allocation = models.ForeignKey(
        Allocation, verbose_name=_("allocation"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    contacted_on = models.DateField(
        _("contacted on"), default=timezone.localdate, validators=[plausible_date, not_in_the_future]
    )
    reached = models.BooleanField(_("household reached"))
    in_use = models.BooleanField(_("computer in use"), null=True, blank=True)
    uses = models.JSONField(_("uses"), default=list, blank=True)
    problem = models.TextField(_("problem reported"), blank=True)
    needs_repair = models.BooleanField(_("needs a repair"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_by_name = models.CharField(_("recorded by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = audited_history()

    class Meta:
        ordering = ["-contacted_on", "-pk"]
        indexes = [
            models.Index(fields=["contacted_on"], name="followup_contacted_on_idx"),  # the report's period
            # "Has the household been reached?", asked of every allocation the follow-ups list
            # counts, answered from the index alone.
            models.Index(fields=["allocation", "reached"], name="followup_reached_idx"),
        ]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self):
        return _("Follow-up of %(allocation)s on %(date)s") % {
            "allocation": self.allocation,
            "date": self.contacted_on,
        }
