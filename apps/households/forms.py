from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import AgeBracket, Gender
from .models import Household, Neighbourhood
from .services import HOUSEHOLD_FIELDS

# The wording offered by default; the trainer adapts it to what was actually read out and
# signed, and the household's record keeps the exact text.
DEFAULT_CONSENT_TEXT = _(
    "I agree that the Ordi-pratique programme keeps the details above to organise my training "
    "course and the hand-over of a computer, and uses them anonymously in reports to its "
    "funders. I can ask to see them, correct them or have them erased at any time."
)


class NeighbourhoodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.is_priority:
            return _("%(name)s (priority neighbourhood)") % {"name": obj.name}
        return obj.name


class HouseholdForm(forms.ModelForm):
    """Registering or editing a household. ``confirm_duplicate`` appears only once the
    duplicate check has warned, and must then be ticked to go on."""

    class Meta:
        model = Household
        fields = HOUSEHOLD_FIELDS
        field_classes = {"neighbourhood": NeighbourhoodChoiceField}
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "consent_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "consent_text": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "size": forms.NumberInput(attrs={"min": 1}),
            "children": forms.NumberInput(attrs={"min": 0}),
        }
        help_texts = {
            "gender": _("Only if the person agrees to say; for the funders' figures."),
            "age_bracket": _("Only if the person agrees to say; for the funders' figures."),
            "notes": _("Only what the course needs. No health or private details."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        not_given = [("", _("Not given"))]
        self.fields["gender"].choices = not_given + list(Gender.choices)
        self.fields["age_bracket"].choices = not_given + list(AgeBracket.choices)
        if self.instance.pk is None:
            self.fields["consent_text"].initial = DEFAULT_CONSENT_TEXT
        # Only a new household is checked for duplicates (the edit form has no such field).
        if self.instance.pk is None and self.data.get("confirm_duplicate"):
            self.ask_duplicate_confirmation()

    def ask_duplicate_confirmation(self):
        self.fields["confirm_duplicate"] = forms.BooleanField(
            label=_("I have checked: this is another family, register it anyway"),
            required=False,
        )


class NeighbourhoodForm(forms.ModelForm):
    class Meta:
        model = Neighbourhood
        fields = ["name", "code", "is_priority"]
