from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AllocationKind(models.TextChoices):
    GIFT = "gift", _("Gift")
    LOAN = "loan", _("Loan")


class AllocationStatus(models.TextChoices):
    # Their own context: in French an allocation (« dotation ») is feminine, while the same
    # English words for a device (« équipement ») are masculine.
    RESERVED = "reserved", pgettext_lazy("allocation status", "Reserved")
    ACTIVE = "active", pgettext_lazy("allocation status", "Handed over")
    RETURNED = "returned", pgettext_lazy("allocation status", "Returned")
    CANCELLED = "cancelled", pgettext_lazy("allocation status", "Cancelled")
    LOST = "lost", pgettext_lazy("allocation status", "Lost or stolen")


class ReturnCondition(models.TextChoices):
    GOOD = "good", _("Good")
    WORN = "worn", _("Worn")
    DAMAGED = "damaged", _("Damaged")


class DeviceUse(models.TextChoices):
    ONLINE_RIGHTS = "online_rights", _("Online procedures (CAF, health, taxes…)")
    SCHOOL = "school", _("Children's schoolwork")
    JOB_SEARCH = "job_search", _("Job search")
    COMMUNICATION = "communication", _("Keeping in touch with family")
    TRAINING = "training", _("Learning, training")
    LEISURE = "leisure", _("Leisure")
