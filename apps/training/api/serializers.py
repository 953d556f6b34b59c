from rest_framework import serializers

from apps.accounts.models import Structure
from apps.core.api.serializers import ModelSerializer
from apps.households.selectors import households_visible_to

from .. import selectors
from ..choices import Progress
from ..models import Attendance, Course, Enrolment, Session
from .fields import VisiblePrimaryKeyField


class CourseSerializer(ModelSerializer):
    structure = serializers.PrimaryKeyRelatedField(
        queryset=Structure.objects.all(),
        required=False,
        help_text="Defaults to the structure of the signed-in trainer. Cannot change afterwards.",
    )
    trainers = VisiblePrimaryKeyField(scope=selectors.colleagues_of, many=True, required=False)
    enrolled_count = serializers.IntegerField(read_only=True)
    waiting_count = serializers.IntegerField(read_only=True)
    session_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "description",
            "structure",
            "trainers",
            "place",
            "starts_on",
            "ends_on",
            "capacity",
            "min_sessions",
            "enrolled_count",
            "waiting_count",
            "session_count",
        ]


class SessionSerializer(ModelSerializer):
    course = VisiblePrimaryKeyField(scope=selectors.courses_visible_to)
    present_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Session
        fields = ["id", "course", "starts_at", "duration_minutes", "topic", "title", "place", "present_count"]


class EnrolmentSerializer(ModelSerializer):
    """``status`` moves only through actions (create, withdraw); ``completed`` is computed
    from attendance against the course's ``min_sessions``."""

    course = VisiblePrimaryKeyField(scope=selectors.courses_visible_to)
    household = VisiblePrimaryKeyField(scope=households_visible_to)
    completed = serializers.BooleanField(source="is_completed", read_only=True)
    attended_sessions = serializers.IntegerField(read_only=True)
    progress = serializers.ChoiceField(choices=Progress.choices, read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "household",
            "course",
            "status",
            "completed",
            "attended_sessions",
            "progress",
            "requested_at",
            "status_changed_at",
            "withdrawal_reason",
        ]
        read_only_fields = ["status", "requested_at", "status_changed_at", "withdrawal_reason"]
        # Not DRF's unique-together check: the service answers a second enrolment with a 409,
        # and lets a withdrawn household come back on its existing row.
        validators = []


class WithdrawalSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=250)


class WithdrawalResultSerializer(EnrolmentSerializer):
    promoted = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="Enrolments moved from the waiting list into the freed place.",
    )
    cancelled_allocations = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="Reservations made through this enrolment, cancelled: their devices are ready again.",
    )

    class Meta(EnrolmentSerializer.Meta):
        fields = [*EnrolmentSerializer.Meta.fields, "promoted", "cancelled_allocations"]


class AttendanceSerializer(ModelSerializer):
    household = serializers.IntegerField(source="enrolment.household_id", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "session", "household", "present", "recorded_at"]
        read_only_fields = fields


class TakeAttendanceSerializer(serializers.Serializer):
    household = VisiblePrimaryKeyField(scope=households_visible_to)
    present = serializers.BooleanField()
