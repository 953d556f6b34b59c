"""Filters of the courses list, shared by the screen and the API."""

import django_filters
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Structure

from .models import Course


class Period(TextChoices):
    CURRENT = "current", _("Running now")
    UPCOMING = "upcoming", _("Upcoming")
    PAST = "past", _("Finished")


class CourseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains")
    period = django_filters.ChoiceFilter(
        label=_("Period"), choices=Period.choices, method="filter_period", empty_label=_("All")
    )
    structure = django_filters.ModelChoiceFilter(
        label=_("Structure"),
        queryset=Structure.objects.filter(courses__isnull=False).distinct(),
        empty_label=_("All"),
    )

    class Meta:
        model = Course
        fields = ["q", "period", "structure"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A trainer only sees their own structure's courses: the choice would be noise.
        user = getattr(self.request, "user", None)
        if user is not None and not user.has_perm("training.view_all_courses"):
            del self.filters["structure"]

    def filter_period(self, queryset, name, value):
        today = timezone.localdate()
        if value == Period.CURRENT:
            return queryset.filter(starts_on__lte=today, ends_on__gte=today)
        if value == Period.UPCOMING:
            return queryset.filter(starts_on__gt=today)
        return queryset.filter(ends_on__lt=today)
