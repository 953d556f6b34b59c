"""Filters of the households list, shared by the screen and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.ids import MAX_ID

from .choices import ReferredBy
from .matching import name_or_phone
from .models import Household, Neighbourhood


class HouseholdFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or phone"), method="search")
    neighbourhood = django_filters.ModelChoiceFilter(
        label=_("Neighbourhood"), queryset=Neighbourhood.objects.all(), empty_label=_("All")
    )
    referred_by = django_filters.ChoiceFilter(
        label=_("Referred by"), choices=ReferredBy.choices, empty_label=_("All")
    )

    class Meta:
        model = Household
        fields = ["q", "neighbourhood", "referred_by"]

    def search(self, queryset, name, value):
        """Matches however the name or number was typed: accents, case, spaces, +33."""
        condition = name_or_phone(value)
        return queryset.filter(condition) if condition else queryset


class IdFilter(django_filters.NumberFilter):
    """A record's id: a whole number within the database's range, else a 400 that says so
    (a 20-digit number reached the database, where SQLite refused it with a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class HouseholdApiFilter(HouseholdFilter):
    """The API also filters by course: ``/api/households/?course=12``."""

    course = IdFilter(label=_("Course"), field_name="enrolments__course", distinct=True)

    class Meta(HouseholdFilter.Meta):
        fields = [*HouseholdFilter.Meta.fields, "course"]
