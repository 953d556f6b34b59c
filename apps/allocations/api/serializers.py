from datetime import date

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.api.serializers import ModelSerializer
from apps.core.history import CHANGE_REASON_LENGTH
from apps.devices.models import Device
from apps.households.selectors import households_visible_to

from .. import selectors
from ..choices import AllocationKind, DeviceUse, ReturnCondition
from ..models import Allocation, FollowUp


class AllocationSerializer(ModelSerializer):
    number = serializers.CharField(read_only=True)
    devices = serializers.PrimaryKeyRelatedField(many=True, queryset=Device.objects.all())
    device_tags = serializers.SerializerMethodField()
    household_name = serializers.SerializerMethodField()
    course = serializers.IntegerField(source="enrolment.course_id", read_only=True)
    follow_up_due_on = serializers.SerializerMethodField()
    # Blank until the devices come back; declared so the schema allows "" (found by fuzzing).
    return_condition = serializers.ChoiceField(
        choices=ReturnCondition.choices, allow_blank=True, read_only=True
    )
    # What was written about the household: null for whoever may not see it, as its name
    # (``selectors.hide_household_text``). A null sent in is no note.
    notes = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    override_reason = serializers.CharField(read_only=True, allow_null=True)
    closing_note = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Allocation
        fields = [
            "id",
            "number",
            "household",
            "household_name",
            "enrolment",
            "course",
            "structure",
            "devices",
            "device_tags",
            "kind",
            "due_on",
            "status",
            "reserved_at",
            "handed_over_at",
            "override_reason",
            "closed_at",
            "return_condition",
            "closing_note",
            "follow_up_due_on",
            "notes",
        ]
        read_only_fields = ["enrolment", "structure", "status", "reserved_at", "handed_over_at", "override_reason",
                            "closed_at", "return_condition"]  # fmt: skip
        extra_kwargs = {"due_on": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["household"].queryset = households_visible_to(request.user)

    def get_device_tags(self, allocation) -> list[str]:
        return [item.device.asset_tag for item in allocation.items.all()]

    def get_household_name(self, allocation) -> str | None:
        """Only for those who may see the household (never technicians)."""
        visible = self.context.get("visible_households")
        if visible is None or allocation.household_id not in visible:
            return None
        return allocation.household.contact_name

    def get_follow_up_due_on(self, allocation) -> date | None:
        return selectors.follow_up_due_date(allocation)

    def validate_notes(self, notes):
        return notes or ""

    def validate(self, attrs):
        if attrs.get("kind") == AllocationKind.GIFT:
            attrs["due_on"] = attrs.get("due_on")
        return attrs


class HandOverSerializer(serializers.Serializer):
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")
    due_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A loan's new due date; needed when the one set at the reservation has come.",
    )


class ReturnSerializer(serializers.Serializer):
    condition = serializers.ChoiceField(choices=ReturnCondition.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class ConversionSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=CHANGE_REASON_LENGTH,
        help_text="Kept as the reason of the change in the allocation's history.",
    )


class FollowUpSerializer(ModelSerializer):
    uses = serializers.ListField(child=serializers.ChoiceField(choices=DeviceUse.choices), required=False)

    class Meta:
        model = FollowUp
        fields = ["id", "allocation", "contacted_on", "reached", "in_use", "uses", "problem", "needs_repair", "notes",
                  "recorded_by_name", "created_at"]  # fmt: skip
        read_only_fields = ["recorded_by_name", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["allocation"].queryset = selectors.allocations_visible_to(request.user)

    def validate_allocation(self, allocation):
        if allocation.handed_over_at is None:
            raise serializers.ValidationError(_("Devices not yet handed over have no follow-up."))
        return allocation
