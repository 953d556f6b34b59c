from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.history import audited_history
from apps.core.validators import not_in_the_future, plausible_moment

from .choices import AgeBracket, Gender, ReferredBy


class Neighbourhood(models.Model):
    """A neighbourhood of the territory, kept by the coordinator. Priority ones (QPV) carry
    their official code; the flag makes a household eligible and feeds the funders' figures."""

    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(
        _("official code"),
        max_length=20,
        blank=True,
        help_text=_("The official code of a priority neighbourhood (QPV), for example QN06901M."),
    )
    is_priority = models.BooleanField(_("priority neighbourhood (QPV)"), default=False)

    history = audited_history()

    class Meta:
        ordering = ["name"]
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                name="neighbourhood_unique_name",
                violation_error_message=_("A neighbourhood with this name already exists."),
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="neighbourhood_unique_code",
                violation_error_message=_("Another neighbourhood already has this official code."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("households:neighbourhood_update", args=[self.pk])


class Household(models.Model):
    """A family referred to the programme by a partner, represented by one contact person.

    Personal data of vulnerable people: the minimum the programme and its funders need, shown
    only to the staff whose courses the household follows (see ``selectors``). Nothing is
    deleted; a later anonymisation blanks the personal fields and keeps the counts.
    """

    contact_name = models.CharField(_("contact person"), max_length=150)
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("neighbourhood"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    size = models.PositiveSmallIntegerField(
        _("household size"), help_text=_("Number of people living in it.")
    )
    children = models.PositiveSmallIntegerField(_("school-age children"), default=0)
    referred_by = models.CharField(_("referred by"), max_length=20, choices=ReferredBy.choices)
    referring_structure = models.CharField(
        _("referring structure"),
        max_length=200,
        blank=True,
        help_text=_("The partner that referred the household, for example “CCAS de Villeurbanne”."),
    )
    no_computer_at_home = models.BooleanField(_("no computer at home"), default=True)
    consent_at = models.DateTimeField(
        _("consent given on"), default=timezone.now, validators=[plausible_moment, not_in_the_future]
    )
    consent_text = models.TextField(_("wording of the consent"))
    gender = models.CharField(
        _("gender of the contact person"), max_length=10, choices=Gender.choices, blank=True
    )
    age_bracket = models.CharField(
        _("age bracket of the contact person"), max_length=10, choices=AgeBracket.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    structure = models.ForeignKey(
        "accounts.Structure",
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="registered_households",
    )
    created_at = models.DateTimeField(_("registered on"), default=timezone.now, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised on"), null=True, blank=True, editable=False)
    # Comparable forms of the phone and name (see ``matching``), kept by the services and
    # indexed so the duplicate check stays one indexed query however many households there are.
    phone_key = models.CharField(max_length=30, blank=True, editable=False, db_index=True)
    name_key = models.CharField(max_length=150, blank=True, editable=False, db_index=True)

    # The keys are derived from fields that history already keeps.
    history = audited_history(excluded_fields=["phone_key", "name_key"])

    class Meta:
        ordering = ["contact_name", "pk"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        permissions = [
            ("view_all_households", _("Can see the households of every structure")),
            ("export_household", _("Can export all the data held about a household")),
            ("anonymise_household", _("Can anonymise a household (erasure on request)")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gte=1),
                name="household_size_at_least_one",
                violation_error_message=_("A household has at least one person."),
            ),
            models.CheckConstraint(
                condition=Q(children__gte=0) & Q(children__lte=F("size")),
                name="household_children_within_size",
                violation_error_message=_("There cannot be more children than people in the household."),
            ),
        ]

    def __str__(self):
        return self.contact_name

    def get_absolute_url(self):
        return reverse("households:household_detail", args=[self.pk])

    @property
    def lives_in_priority_area(self):
        """Derived from the neighbourhood, so it follows the coordinator's list."""
        return self.neighbourhood.is_priority
