"""What every serializer of the API shares."""

from django.db import models
from rest_framework import serializers


class DateTimeField(serializers.DateTimeField):
    """DRF's, with a 400 for a moment the time zone cannot move.

    DRF checks that a naive moment exists in the time zone by converting it to UTC; in year 1
    that conversion underflows, and the OverflowError was a 500. DRF already answers
    "out of range" for an aware moment that cannot be converted; this says the same for a
    naive one.
    """

    def enforce_timezone(self, value):
        try:
            return super().enforce_timezone(value)
        except OverflowError:
            self.fail("overflow")


class ModelSerializer(serializers.ModelSerializer):
    """The API's model serializers: their date-time fields are the one above."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: DateTimeField,
    }
