import re

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.history import CHANGE_REASON_LENGTH
from apps.devices.filtersets import normalise_tag
from apps.devices.forms import DateInput
from apps.devices.models import Device

from .choices import AllocationKind, DeviceUse, ReturnCondition
from .models import FollowUp


class ReserveForm(forms.Form):
    """The kit and its terms; the household and course (the enrolment) are chosen first, by
    the view, among ``selectors.reservable_enrolments``."""

    kind = forms.ChoiceField(
        label=_("Gift or loan"), choices=AllocationKind.choices, widget=forms.RadioSelect
    )
    due_on = forms.DateField(label=_("Due date (loan)"), required=False, widget=DateInput())
    device_tags = forms.CharField(
        label=_("Asset tags of the devices"),
        help_text=_(
            "Scan or type each tag, separated by spaces: a kit may hold a computer, a screen, a keyboard…"
        ),
        widget=forms.Textarea(attrs={"rows": 2, "autocapitalize": "characters"}),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_device_tags(self):
        tags = [normalise_tag(t) for t in re.split(r"[\s,;]+", self.cleaned_data["device_tags"]) if t.strip()]
        devices = {d.asset_tag: d for d in Device.objects.filter(asset_tag__in=tags)}
        unknown = [t for t in tags if t not in devices]
        if unknown:
            raise forms.ValidationError(_("Unknown asset tag(s): %(tags)s.") % {"tags": ", ".join(unknown)})
        return [devices[t] for t in dict.fromkeys(tags)]


class HandOverForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason for handing over before the course rule is met"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due_on = forms.DateField(
        label=_("Due date of the loan"),
        help_text=_("Leave it empty to keep the date set at the reservation."),
        required=False,
        widget=DateInput(),
    )


class ReturnForm(forms.Form):
    condition = forms.ChoiceField(label=_("Condition of the devices"), choices=ReturnCondition.choices)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)


class ConversionForm(forms.Form):
    # Its note is kept only as the reason of the change in the allocation's history.
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=CHANGE_REASON_LENGTH)


class FollowUpForm(forms.ModelForm):
    uses = forms.MultipleChoiceField(
        label=_("What the computer is used for"),
        choices=DeviceUse.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    in_use = forms.NullBooleanField(
        label=_("Computer in use"),
        required=False,
        widget=forms.Select(choices=[("unknown", _("Not known")), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        model = FollowUp
        fields = ["contacted_on", "reached", "in_use", "uses", "problem", "needs_repair", "notes"]
        widgets = {
            "contacted_on": DateInput(),
            "problem": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
