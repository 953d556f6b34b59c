from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import DomainError
from apps.core.forms import ModelMultipleChoiceField

from . import printing
from .choices import DeviceStatus
from .models import Device, Donation, Donor, Erasure, Intervention

DEVICE_FACTS = [
    "kind",
    "brand",
    "model",
    "serial_number",
    "cpu",
    "ram_gb",
    "storage_gb",
    "storage_type",
    "operating_system",
    "condition",
    "weight_kg",
    "location",
    "photo",
    "notes",
]

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}

# What the intake form carries over from one device to the next: a batch of 30 identical
# laptops differs only by serial number and condition.
INTAKE_KEPT_FIELDS = [
    "kind",
    "brand",
    "model",
    "cpu",
    "ram_gb",
    "storage_gb",
    "storage_type",
    "operating_system",
    "weight_kg",
    "location",
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DonorForm(forms.ModelForm):
    class Meta:
        model = Donor
        fields = ["name", "kind", "contact_name", "email", "phone", "address", "siret", "notes"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 2})}


class DonationForm(forms.ModelForm):
    """A donation's own fields; its donor is chosen on the screen before (``views``)."""

    class Meta:
        model = Donation
        fields = ["received_on", "site", "notes"]
        widgets = {
            "received_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class DeviceForm(forms.ModelForm):
    class Meta:
        model = Device
        fields = DEVICE_FACTS
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def clean_photo(self):
        """A photo is an image Pillow can read (the form field has opened and verified it),
        in a format every browser shows, and at most 5 MB."""
        photo = self.cleaned_data.get("photo")
        if not photo or not hasattr(photo, "image"):
            return photo  # unchanged, or cleared
        if photo.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(_("The photo must be smaller than 5 MB."))
        if photo.image.format not in PHOTO_FORMATS:
            raise forms.ValidationError(_("Send a JPEG, PNG or WebP photo."))
        return photo


class IntakeForm(DeviceForm):
    """The quick form of the donation page: one device after another."""

    class Meta(DeviceForm.Meta):
        fields = [f for f in DEVICE_FACTS if f != "photo"]


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=DeviceStatus.choices, widget=forms.HiddenInput)
    expected_status = forms.ChoiceField(choices=DeviceStatus.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=1000)
    weight_kg = forms.DecimalField(
        label=_("Weight (kg)"), required=False, min_value=0, max_digits=6, decimal_places=2
    )


class InterventionForm(forms.ModelForm):
    class Meta:
        model = Intervention
        fields = ["kind", "description", "parts_used", "minutes", "performed_at"]
        widgets = {"performed_at": DateTimeInput(), "description": forms.Textarea(attrs={"rows": 3})}


class ErasureForm(forms.ModelForm):
    class Meta:
        model = Erasure
        fields = ["method", "standard", "tool", "drive_serial", "result", "performed_at", "log_file", "notes"]
        widgets = {"performed_at": DateTimeInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def clean_log_file(self):
        log_file = self.cleaned_data.get("log_file")
        if log_file and log_file.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The log file must be smaller than 2 MB."))
        return log_file


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Inventory file (CSV or XLSX)"),
        help_text=_(
            "One device per row. Columns: type, marque, modèle, numéro de série, RAM, stockage, poids…"
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file must be smaller than 5 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Send a .csv or .xlsx file."))
        return upload


class ScanForm(forms.Form):
    tag = forms.CharField(label=_("Asset tag, serial or model"), max_length=100)


class LabelPrintForm(forms.Form):
    """The print page: which layout, where to start on the sheet, and which devices.

    The devices come from where the page was opened: typed or scanned asset tags (a device
    page or a selection fills them in), a donation, or the filters of the device list.
    """

    SOURCE_TAGS = "tags"
    SOURCE_DONATION = "donation"
    SOURCE_FILTERS = "filters"

    # A text field drawn as radio buttons: an unknown layout gets the same message as in the
    # API and the command, with the list of layouts.
    layout = forms.CharField(label=_("Label layout"), widget=forms.RadioSelect)
    start_position = forms.IntegerField(
        label=_("Start at label no."),
        initial=1,
        help_text=_(
            "To reuse a partly used sheet, give the number of its first free label: labels are "
            "counted from 1 at the top left, left to right, then row by row. Leave 1 for a new sheet."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
    )
    format = forms.ChoiceField(
        label=_("File"),
        choices=[
            ("pdf", _("PDF, for any printer")),
            ("png", _("PNG image of one label, for a label printer")),
        ],
        initial="pdf",
        required=False,
        widget=forms.RadioSelect,
    )
    source = forms.ChoiceField(
        choices=[
            (SOURCE_TAGS, SOURCE_TAGS),
            (SOURCE_DONATION, SOURCE_DONATION),
            (SOURCE_FILTERS, SOURCE_FILTERS),
        ],
        initial=SOURCE_TAGS,
        widget=forms.HiddenInput,
    )
    asset_tags = forms.CharField(
        label=_("Asset tags"),
        required=False,
        max_length=50_000,
        help_text=_(
            "One or more asset tags, separated by spaces or new lines: a barcode scanner can type them."
        ),
        widget=forms.Textarea(
            attrs={"rows": 3, "autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    donation = forms.IntegerField(required=False, widget=forms.HiddenInput)
    filters = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["layout"].widget.choices = printing.layout_choices()

    def clean_layout(self):
        try:
            return printing.check_layout(self.cleaned_data["layout"]).name
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None

    def clean_format(self):
        return self.cleaned_data.get("format") or "pdf"

    def selection(self):
        """The keyword arguments naming the devices, for ``printing.select_devices``."""
        data = self.cleaned_data
        if data["source"] == self.SOURCE_DONATION:
            return {"donation": data["donation"]}
        if data["source"] == self.SOURCE_FILTERS:
            return {"filters": data["filters"]}
        return {"asset_tags": printing.parse_tags(data["asset_tags"])}


class BulkTransitionForm(forms.Form):
    """Move the devices ticked on a donation page to the same next step."""

    BULK_STATUSES = [DeviceStatus.DIAGNOSIS, DeviceStatus.RECONDITIONING, DeviceStatus.READY]

    devices = ModelMultipleChoiceField(queryset=Device.objects.none(), widget=forms.CheckboxSelectMultiple)
    to = forms.ChoiceField(
        label=_("Move the selected devices to"), choices=[(s.value, s.label) for s in BULK_STATUSES]
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=1000)

    def __init__(self, *args, donation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["devices"].queryset = donation.devices.all()
