from rest_framework import serializers

from apps.core.api.serializers import ModelSerializer

from ..models import Household, Neighbourhood
from ..services import HOUSEHOLD_FIELDS


class NeighbourhoodSerializer(ModelSerializer):
    class Meta:
        model = Neighbourhood
        fields = ["id", "name", "code", "is_priority"]


class HouseholdSerializer(ModelSerializer):
    """A household with its personal fields: only served to roles with ``view_household``
    (trainers within their scope, coordinators); other endpoints refer to it by id only."""

    lives_in_priority_area = serializers.BooleanField(read_only=True)
    confirm_duplicate = serializers.BooleanField(
        write_only=True,
        default=False,
        help_text="Register even though a likely duplicate exists (answered with 409 likely_duplicate).",
    )

    class Meta:
        model = Household
        fields = [
            "id",
            *HOUSEHOLD_FIELDS,
            "lives_in_priority_area",
            "structure",
            "created_at",
            "confirm_duplicate",
        ]
        read_only_fields = ["structure", "created_at"]
