from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.INT)
class VisiblePrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A primary key among the objects the requesting user may see, given by ``scope(user)``
    (a selector). Any other id reads as "does not exist", so ids outside the scope leak nothing."""

    def __init__(self, *, scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.scope(self.context["request"].user)
