from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import ModelMultipleChoiceField
from apps.households.models import Household

from . import selectors
from .models import Course, Session


class CourseForm(forms.ModelForm):
    """A course of ``structure``: its trainers are picked among the structure's trainers."""

    class Meta:
        model = Course
        fields = [
            "title",
            "place",
            "starts_on",
            "ends_on",
            "capacity",
            "min_sessions",
            "trainers",
            "description",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "capacity": forms.NumberInput(attrs={"min": 1}),
            "min_sessions": forms.NumberInput(attrs={"min": 1}),
            "trainers": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"trainers": ModelMultipleChoiceField}

    def __init__(self, *args, structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainers"].queryset = selectors.trainers_of(structure)


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["starts_at", "duration_minutes", "topic", "title", "place"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "duration_minutes": forms.NumberInput(attrs={"min": 1, "step": 15}),
        }


class EnrolForm(forms.Form):
    """The household picked on the enrol screen (each line of its list posts one), checked
    against those ``user`` may enrol in ``course``."""

    household = forms.ModelChoiceField(
        label=_("Household"),
        queryset=Household.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _(
                "This household cannot be enrolled in this course: it is already in it, its details "
                "were erased, or it is not followed by your structure."
            )
        },
    )

    def __init__(self, *args, user, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = selectors.households_to_enrol(user, course)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        max_length=250,
        help_text=_("For example: moved away, found a job with hours that clash, health."),
    )


class AttendanceForm(forms.Form):
    """One tap on the attendance screen: a household of the session's course, present or not."""

    household = forms.ModelChoiceField(queryset=Household.objects.none(), widget=forms.HiddenInput)
    present = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.filter(enrolments__course_id=session.course_id)
