from django.db import models
from django.utils.translation import gettext_lazy as _


class StructureKind(models.TextChoices):
    REGIE = "regie", _("Neighbourhood régie")
    MEDIATHEQUE = "mediatheque", _("Media library")
    ASSOCIATION = "association", _("Association")
    SOCIAL_CENTRE = "social_centre", _("Social centre")
    AGGLOMERATION = "agglomeration", _("Agglomeration")


class Role(models.TextChoices):
    """The three roles. Each is a ``Group`` of the same name that carries its permissions."""

    TECHNICIAN = "technician", _("Technician")
    TRAINER = "trainer", _("Trainer")
    COORDINATOR = "coordinator", _("Coordinator")
