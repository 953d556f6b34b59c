from django.db import models
from django.utils.translation import gettext_lazy as _


class AllocationKind(models.TextChoices):
    GIFT = "gift", _("Gift")
    LOAN = "loan", _("Loan")


class AllocationStatus(models.TextChoices):
    RESERVED = "reserved", _("Reserved")
    ACTIVE = "active", _("Handed over")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Cancelled")
    LOST = "lost", _("Lost or stolen")


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
