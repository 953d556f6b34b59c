from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.history import audited_history
from apps.core.validators import not_in_the_future, plausible_date, plausible_moment

from .choices import (
    ConditionGrade,
    DeviceKind,
    DeviceStatus,
    DonorKind,
    ErasureMethod,
    ErasureResult,
    InterventionKind,
    StorageType,
)

# Kinds that normally hold a drive: their storage must be known before they are ready.
# Beyond any computer a programme is given (a workstation has 512 GB of RAM, a NAS tens of
# TB): a larger figure is a typing slip, such as a size in MB typed as GB.
MAX_RAM_GB = 2048
MAX_STORAGE_GB = 100_000
DATA_BEARING_KINDS = {DeviceKind.DESKTOP, DeviceKind.LAPTOP, DeviceKind.ALL_IN_ONE, DeviceKind.TABLET}


class Donor(models.Model):
    """Who gives equipment: a company, a public body, an association or a person."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=DonorKind.choices)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.TextField(_("address"), blank=True)
    siret = models.CharField(_("SIRET number"), max_length=14, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = audited_history()

    class Meta:
        ordering = ["name"]
        verbose_name = _("donor")
        verbose_name_plural = _("donors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("devices:donor_detail", args=[self.pk])


class Donation(models.Model):
    """One batch received from a donor on a date; its receipt lists its devices."""

    donor = models.ForeignKey(
        Donor, verbose_name=_("donor"), on_delete=models.PROTECT, related_name="donations"
    )
    received_on = models.DateField(
        _("received on"), default=timezone.localdate, validators=[plausible_date, not_in_the_future]
    )
    site = models.CharField(_("collection site"), max_length=200, blank=True)
    structure = models.ForeignKey(
        "accounts.Structure",
        verbose_name=_("receiving structure"),
        on_delete=models.PROTECT,
        related_name="donations",
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = audited_history()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        indexes = [models.Index(fields=["received_on"], name="donation_received_on_idx")]

    def __str__(self):
        return _("Donation %(number)s – %(donor)s") % {"number": self.number, "donor": self.donor}

    def get_absolute_url(self):
        return reverse("devices:donation_detail", args=[self.pk])

    @property
    def number(self):
        """Receipt number: year of receipt and a serial, e.g. 2026-0042."""
        return f"{self.received_on:%Y}-{self.pk:04d}"


class AssetTagCounter(models.Model):
    """Last number given for a prefix. Tags come from here only, so none is ever reused."""

    prefix = models.CharField(max_length=10, primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("asset tag counter")

    def __str__(self):
        return f"{self.prefix}: {self.last_number}"


class Device(models.Model):
    """One physical item with its own asset tag, followed from collection to its end."""

    asset_tag = models.CharField(_("asset tag"), max_length=20, editable=False)
    donation = models.ForeignKey(
        Donation, verbose_name=_("donation"), on_delete=models.PROTECT, related_name="devices"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DeviceKind.choices)
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    model = models.CharField(_("model"), max_length=150, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    cpu = models.CharField(_("processor"), max_length=150, blank=True)
    ram_gb = models.PositiveSmallIntegerField(
        _("RAM (GB)"), null=True, blank=True, validators=[MaxValueValidator(MAX_RAM_GB)]
    )
    storage_gb = models.PositiveIntegerField(
        _("storage (GB)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_STORAGE_GB)],
        help_text=_("0 when the device has no storage drive; empty while not yet known."),
    )
    storage_type = models.CharField(_("storage type"), max_length=10, choices=StorageType.choices, blank=True)
    operating_system = models.CharField(_("operating system"), max_length=100, blank=True)
    condition = models.CharField(_("condition"), max_length=1, choices=ConditionGrade.choices, blank=True)
    weight_kg = models.DecimalField(
        _("weight (kg)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    location = models.CharField(_("storage location"), max_length=100, blank=True)
    photo = models.ImageField(
        _("photo"),
        upload_to="devices/photos/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])],
    )
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DeviceStatus.choices,
        default=DeviceStatus.COLLECTED,
        editable=False,
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = audited_history()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        permissions = [("change_device_status", _("Can move a device through its life"))]
        constraints = [
            models.UniqueConstraint(
                fields=["asset_tag"],
                name="device_unique_asset_tag",
                violation_error_message=_("This asset tag is already used."),
            ),
            models.UniqueConstraint(
                fields=["serial_number"],
                condition=~Q(serial_number=""),
                name="device_unique_serial_number",
                violation_error_message=_("A device with this serial number is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(weight_kg__isnull=True) | Q(weight_kg__gte=0),
                name="device_weight_not_negative",
                violation_error_message=_("The weight cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeviceStatus.values),
                name="device_status_known",
                violation_error_message=_("Unknown status."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-id"], name="device_status_idx"),
            models.Index(fields=["kind", "-id"], name="device_kind_idx"),
            models.Index(fields=["location"], name="device_location_idx"),
        ]

    def __str__(self):
        return f"{self.asset_tag} · {self.title}"

    def get_absolute_url(self):
        return reverse("devices:device_detail", args=[self.asset_tag])

    @property
    def title(self):
        """What a person calls it: "Laptop Dell Latitude E7450"."""
        return " ".join(part for part in (self.get_kind_display(), self.brand, self.model) if part)

    @property
    def has_storage(self):
        return bool(self.storage_gb)

    @property
    def storage_unknown(self):
        """A computer or tablet whose storage nobody has checked may still hold a donor's data."""
        return self.storage_gb is None and self.kind in DATA_BEARING_KINDS


class StatusChange(models.Model):
    """One move of a device from a status to another: who, when, why.

    The device's timeline and the funders' flow figures (days from collection to ready...)
    are read from here; the device's own history keeps every field change besides.
    """

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=DeviceStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=DeviceStatus.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [
            # "This device's last return / last ready": without statistics SQLite would
            # otherwise walk every move to that status through the index below. The
            # timeline reads the device's few rows through the foreign key's index.
            models.Index(
                fields=["device", "to_status", "-at", "from_status"], name="statuschange_device_last_idx"
            ),
            # The report's moves of a period, counted by status and month and joined to their
            # devices for weights and delays, read from the index alone. Both indexes hold
            # every column those queries read; were only this one covering, SQLite (which has
            # no statistics here) would prefer it for "the device's last ready" and walk a
            # year of moves for each hand-over.
            models.Index(
                fields=["to_status", "at", "from_status", "device"], name="statuschange_status_at_idx"
            ),
        ]

    def __str__(self):
        return f"{self.device_id}: {self.from_status} → {self.to_status}"


class Intervention(models.Model):
    """A step of reconditioning: what was done, with which parts, how long, by whom."""

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="interventions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InterventionKind.choices)
    description = models.TextField(_("what was done"))
    parts_used = models.CharField(_("parts used"), max_length=300, blank=True)
    minutes = models.PositiveIntegerField(_("minutes spent"), default=0)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("performed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    performed_by_name = models.CharField(_("performed by"), max_length=150, blank=True)
    performed_at = models.DateTimeField(
        _("performed at"), default=timezone.now, validators=[plausible_moment, not_in_the_future]
    )

    history = audited_history()

    class Meta:
        ordering = ["-performed_at", "-pk"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")

    def __str__(self):
        return f"{self.get_kind_display()} – {self.device_id}"


class Erasure(models.Model):
    """Certified wiping, or physical destruction, of one storage drive of a device."""

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="erasures"
    )
    method = models.CharField(_("method"), max_length=20, choices=ErasureMethod.choices)
    standard = models.CharField(
        _("standard"), max_length=100, blank=True, help_text=_("For example NIST SP 800-88 Purge.")
    )
    tool = models.CharField(_("tool"), max_length=100, blank=True)
    drive_serial = models.CharField(_("drive serial number"), max_length=100)
    result = models.CharField(_("result"), max_length=10, choices=ErasureResult.choices)
    performed_at = models.DateTimeField(
        _("performed at"), default=timezone.now, validators=[plausible_moment, not_in_the_future]
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operator"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    operator_name = models.CharField(_("operator"), max_length=150, blank=True)
    log_file = models.FileField(
        _("log file"),
        upload_to="devices/erasure-logs/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(["txt", "log", "pdf", "xml", "json", "csv", "html"])],
    )
    notes = models.TextField(_("notes"), blank=True)

    history = audited_history()

    class Meta:
        ordering = ["-performed_at", "-pk"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        constraints = [
            models.CheckConstraint(
                condition=~Q(drive_serial=""),
                name="erasure_drive_serial_required",
                violation_error_message=_("The drive serial number is required."),
            ),
        ]

    def __str__(self):
        return f"{self.get_method_display()} {self.drive_serial} ({self.get_result_display()})"
