from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Structure
from apps.core.widgets import LongSelect

from .audit import KINDS
from .periods import Period, period_errors, year_to_date


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PeriodForm(forms.Form):
    """The period and structure of a report, read from the query string."""

    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To (included)"), widget=DateInput())
    structure = forms.ModelChoiceField(
        label=_("Structure"),
        queryset=Structure.objects.order_by("name"),
        required=False,
        empty_label=_("All partner structures"),
    )

    @classmethod
    def from_query(cls, query):
        """Bound to ``query``; with neither date given, the year to date."""
        if not query.get("start") and not query.get("end"):
            default = year_to_date()
            query = query.copy()
            query["start"], query["end"] = default.start.isoformat(), default.end.isoformat()
        return cls(query)

    def clean(self):
        data = super().clean()
        for name, message in period_errors(data.get("start"), data.get("end")).items():
            self.add_error(name, message)
        return data

    @property
    def period(self):
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])


class HistoryFilterForm(forms.Form):
    actor = forms.ModelChoiceField(
        label=_("Changed by"),
        queryset=get_user_model().objects.order_by("last_name", "first_name", "username"),
        required=False,
        empty_label=_("Anyone"),
        widget=LongSelect,  # every user who ever worked in the programme
    )
    kind = forms.ChoiceField(label=_("Kind of record"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To (included)"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Every kind"))] + [(k.key, k.label) for k in KINDS.values()]

    def clean(self):
        data = super().clean()
        errors = period_errors(data.get("since"), data.get("until"), max_days=None)
        for name, field in (("start", "since"), ("end", "until")):
            if name in errors:
                self.add_error(field, errors[name])
        return data
