from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.api.serializers import DateTimeField, ModelSerializer
from apps.core.exceptions import DomainError
from apps.core.ids import MAX_ID
from labels import LAYOUTS

from .. import printing
from ..choices import DeviceStatus
from ..models import Device, Donation, Donor, Erasure, Intervention


class DonorSerializer(ModelSerializer):
    class Meta:
        model = Donor
        fields = [
            "id",
            "name",
            "kind",
            "contact_name",
            "email",
            "phone",
            "address",
            "siret",
            "notes",
            "created_at",
        ]
        read_only_fields = ["created_at"]


class DonationSerializer(ModelSerializer):
    number = serializers.CharField(read_only=True)
    device_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Donation
        fields = [
            "id",
            "number",
            "donor",
            "received_on",
            "site",
            "structure",
            "received_by",
            "notes",
            "device_count",
        ]
        read_only_fields = ["structure", "received_by"]


class DeviceSerializer(ModelSerializer):
    title = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Device
        fields = [
            "id",
            "asset_tag",
            "status",
            "status_changed_at",
            "title",
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
            "notes",
            "donation",
            "created_at",
            "url",
        ]
        read_only_fields = ["asset_tag", "status", "status_changed_at", "created_at"]

    def get_url(self, device) -> str | None:
        if not device.asset_tag:  # an import preview: not created yet
            return None
        request = self.context.get("request")
        url = device.get_absolute_url()
        return request.build_absolute_uri(url) if request else url

    def validate(self, attrs):
        # The donation is chosen once, at intake; the tag and the status have their own ways.
        if self.instance is not None and "donation" in attrs and attrs["donation"] != self.instance.donation:
            raise serializers.ValidationError({"donation": ["A device's donation cannot be changed."]})
        return attrs


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=DeviceStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    weight_kg = serializers.DecimalField(
        required=False, allow_null=True, max_digits=6, decimal_places=2, min_value=0
    )
    expected_status = serializers.ChoiceField(choices=DeviceStatus.choices, required=False)


class InterventionSerializer(ModelSerializer):
    class Meta:
        model = Intervention
        fields = [
            "id",
            "device",
            "kind",
            "description",
            "parts_used",
            "minutes",
            "performed_by_name",
            "performed_at",
        ]
        read_only_fields = ["device", "performed_by_name"]


class ErasureSerializer(ModelSerializer):
    class Meta:
        model = Erasure
        fields = [
            "id",
            "device",
            "method",
            "standard",
            "tool",
            "drive_serial",
            "result",
            "performed_at",
            "operator_name",
            "log_file",
            "notes",
        ]
        read_only_fields = ["device", "operator_name"]
        extra_kwargs = {"log_file": {"required": False}}

    def validate_log_file(self, log_file):
        # The same limit as the screen's form (ErasureForm.clean_log_file).
        if log_file and log_file.size > 2 * 1024 * 1024:
            raise serializers.ValidationError(_("The log file must be smaller than 2 MB."))
        return log_file


class TimelineEventSerializer(serializers.Serializer):
    at = DateTimeField()
    kind = serializers.CharField()
    title = serializers.CharField()
    detail = serializers.CharField()
    actor_name = serializers.CharField()


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(
        default=True, help_text="Preview only (default); false creates the devices."
    )

    def validate_file(self, upload):
        if upload.size > 5 * 1024 * 1024:
            raise serializers.ValidationError("The file must be smaller than 5 MB.")
        return upload


class LayoutField(serializers.ChoiceField):
    """A label layout name; an unknown one is refused with the list of known ones."""

    def __init__(self, **kwargs):
        super().__init__(choices=list(LAYOUTS), **kwargs)

    def to_internal_value(self, data):
        try:
            return printing.check_layout(data).name
        except DomainError as exc:
            raise serializers.ValidationError(exc.message, code=exc.code) from None


class LabelPrintSerializer(serializers.Serializer):
    """A print request. Name the devices in exactly one way: ``devices``, ``asset_tags``,
    ``donation`` or ``filters``; at most ``MAX_LABELS_PER_REQUEST`` of them."""

    layout = LayoutField(
        help_text="Label layout: "
        + ", ".join(f"{name} ({layout.description})" for name, layout in LAYOUTS.items())
    )
    start_position = serializers.IntegerField(
        default=1,
        help_text="First free label of a partly used sheet, counted from 1 at the top left, "
        "left to right then row by row. 1 on layouts with one label per page.",
    )
    format = serializers.ChoiceField(
        choices=printing.LabelFormat.choices,
        default=printing.LabelFormat.PDF,
        help_text="pdf (any number of labels) or png (one device, for a label printer; 300 dpi).",
    )
    devices = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, help_text="Device ids."
    )
    asset_tags = serializers.ListField(
        child=serializers.CharField(max_length=50),
        required=False,
        help_text="Asset tags of the devices.",
    )
    donation = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="Id of a donation: all its devices."
    )
    filters = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="The device list's filters, as for GET /api/devices/: "
        + ", ".join(printing.FILTER_NAMES)
        + ". A list value for a filter that takes several (status). Empty: every device.",
    )


class DeviceLabelQuerySerializer(serializers.Serializer):
    layout = LayoutField(default=printing.DEFAULT_LAYOUT, help_text="Label layout.")
    start_position = serializers.IntegerField(
        default=1, help_text="First free label of a partly used sheet, from 1 at the top left."
    )


class DeviceLabelImageQuerySerializer(serializers.Serializer):
    layout = LayoutField(
        default="QL62", help_text="Label layout, usually a label printer's (QL62, DYMO99012)."
    )


class BulkTransitionSerializer(serializers.Serializer):
    devices = serializers.PrimaryKeyRelatedField(many=True, queryset=Device.objects.all(), allow_empty=False)
    to = serializers.ChoiceField(choices=DeviceStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
