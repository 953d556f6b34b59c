from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied

from .. import privacy, selectors, services
from ..filters import HouseholdApiFilter
from .serializers import HouseholdSerializer, NeighbourhoodSerializer


class NeighbourhoodViewSet(viewsets.ModelViewSet):
    """Neighbourhoods. Trainers and coordinators read them; coordinators add and change them."""

    queryset = selectors.neighbourhood_list()
    serializer_class = NeighbourhoodSerializer
    filterset_fields = ["is_priority"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.create_neighbourhood(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        services.update_neighbourhood(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )


class HouseholdViewSet(viewsets.ModelViewSet):
    """Households the signed-in user may see (404 for the others). Creating one runs the
    duplicate check: 409 ``likely_duplicate`` unless ``confirm_duplicate`` is true."""

    serializer_class = HouseholdSerializer
    filterset_class = HouseholdApiFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.household_list(self.request.user)

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        user = self.request.user
        try:
            serializer.instance = services.register_household(
                actor=user,
                structure=user.structure,
                confirm_duplicate=fields.pop("confirm_duplicate"),
                **fields,
            )
        except services.LikelyDuplicateError as error:
            # Only the matches this user may open are named; the others stay unnamed.
            error.visible_ids = [d.pk for d in selectors.duplicates_visible_to(user, error.duplicates)]
            raise

    def perform_update(self, serializer):
        fields = dict(serializer.validated_data)
        fields.pop("confirm_duplicate", None)
        serializer.instance = services.update_household(
            serializer.instance, actor=self.request.user, **fields
        )

    @extend_schema(responses={(200, "application/json"): OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        """Everything held about the household (GDPR access request), coordinators only."""
        if not request.user.has_perm("households.export_household"):
            raise PermissionDenied()
        household = self.get_object()
        response = HttpResponse(privacy.export_household_json(household), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="household-{household.pk}.json"'
        return response
