from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferredBy(models.TextChoices):
    """The kind of partner that sent the household to the programme."""

    SOCIAL_CENTRE = "social_centre", _("Social centre")
    CCAS = "ccas", _("CCAS (municipal social services)")
    JOB_CENTRE = "job_centre", _("Job centre")
    ASSOCIATION = "association", _("Association")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other")


class Gender(models.TextChoices):
    """Gender of the contact person, for the funders' figures. Blank means not asked yet;
    ``declined`` records that the person chose not to answer."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    DECLINED = "declined", _("Declined to answer")


class AgeBracket(models.TextChoices):
    """Age bracket of the contact person, for the funders' figures. Blank means not given."""

    UNDER_26 = "under_26", _("Under 26")
    FROM_26_TO_44 = "26_44", _("26 to 44")
    FROM_45_TO_64 = "45_64", _("45 to 64")
    FROM_65 = "65_plus", _("65 and over")
    DECLINED = "declined", _("Declined to answer")
