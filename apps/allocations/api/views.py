from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.core.api.permissions import HasPerm
from apps.core.exceptions import DomainError

from .. import documents, selectors, services
from ..models import Allocation
from .serializers import (
    AllocationSerializer,
    ConversionSerializer,
    FollowUpSerializer,
    HandOverSerializer,
    NoteSerializer,
    ReturnSerializer,
)

CHANGE = [IsAuthenticated, HasPerm.of("allocations.change_allocation")]


@extend_schema(
    parameters=[
        OpenApiParameter("status", str, description="reserved, active, returned, cancelled or lost"),
        OpenApiParameter("kind", str, description="gift or loan"),
        OpenApiParameter("household", int),
        OpenApiParameter("follow_up_due", bool, description="Hand-overs whose follow-up is due"),
        OpenApiParameter("overdue", bool, description="Loans past their due date"),
    ]
)
class AllocationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Allocations. ``POST`` reserves; each later step is an action."""

    serializer_class = AllocationSerializer
    queryset = Allocation.objects.none()  # for the schema and permissions; see get_queryset
    filterset_fields = ["status", "kind", "household"]

    def get_queryset(self):
        user = self.request.user
        params = self.request.query_params
        if params.get("follow_up_due") in {"true", "1"}:
            return selectors.follow_ups_due(user)
        if params.get("overdue") in {"true", "1"}:
            return selectors.overdue_loans(user)
        return selectors.allocation_list(user).order_by("-reserved_at", "-pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "_visible", None) is not None:
            context["visible_households"] = self._visible
        return context

    def _read(self, allocations):
        """These allocations as the user may read them: the household's name, and what was
        written about it, only where they may see it (the same redaction as the screen)."""
        self._visible = selectors.hide_household_text(self.request.user, allocations)
        return allocations

    def paginate_queryset(self, queryset):
        return self._read(super().paginate_queryset(queryset))

    def _respond(self, allocation, code=status.HTTP_200_OK):
        [allocation] = self._read([selectors.allocation_list(self.request.user).get(pk=allocation.pk)])
        return Response(self.get_serializer(allocation).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object())

    def create(self, request, *args, **kwargs):
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        enrolment = selectors.enrolment_for(request.user, data["household"])
        if enrolment is None:
            raise DomainError(
                _(
                    "This household is not enrolled in any of your courses: devices are only given through a course."
                ),
                code="not_enrolled",
                field="household",
            )
        allocation = services.reserve(
            actor=request.user,
            enrolment=enrolment,
            devices=data["devices"],
            kind=data["kind"],
            due_on=data.get("due_on"),
            notes=data.get("notes", ""),
        )
        return self._respond(allocation, status.HTTP_201_CREATED)

    def _act(self, request, service, payload_class):
        payload = payload_class(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._respond(service(self.get_object(), actor=request.user, **payload.validated_data))

    @extend_schema(request=HandOverSerializer, responses={200: AllocationSerializer})
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated, HasPerm.of("allocations.hand_over_allocation")],
    )
    def hand_over(self, request, pk=None):
        return self._act(request, services.hand_over, HandOverSerializer)

    @extend_schema(request=ReturnSerializer, responses={200: AllocationSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return", permission_classes=CHANGE)
    def return_devices(self, request, pk=None):
        return self._act(request, services.return_allocation, ReturnSerializer)

    @extend_schema(request=ConversionSerializer, responses={200: AllocationSerializer})
    @action(detail=True, methods=["post"], permission_classes=CHANGE)
    def convert_to_gift(self, request, pk=None):
        return self._act(request, services.convert_to_gift, ConversionSerializer)

    @extend_schema(request=NoteSerializer, responses={200: AllocationSerializer})
    @action(detail=True, methods=["post"], permission_classes=CHANGE)
    def cancel(self, request, pk=None):
        return self._act(request, services.cancel, NoteSerializer)

    @extend_schema(request=NoteSerializer, responses={200: AllocationSerializer})
    @action(detail=True, methods=["post"], permission_classes=CHANGE)
    def declare_lost(self, request, pk=None):
        return self._act(request, services.declare_lost, NoteSerializer)

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="The agreement to sign")})
    @action(detail=True, methods=["get"], url_path="agreement.pdf")
    def agreement(self, request, pk=None):
        # The agreement names the household's neighbourhood, the course and the structure:
        # the whole allocation, not a list's row.
        allocation = get_object_or_404(selectors.allocation_details(request.user), pk=self.get_object().pk)
        if not selectors.can_see_household(request.user, allocation):
            raise NotFound()
        response = HttpResponse(documents.agreement_pdf(allocation), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="convention-{allocation.number}.pdf"'
        return response


class FollowUpViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = FollowUpSerializer
    queryset = selectors.FollowUp.objects.none()
    filterset_fields = ["allocation", "reached"]

    def get_queryset(self):
        return selectors.follow_ups_visible_to(self.request.user).order_by("-contacted_on", "-pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        allocation = data.pop("allocation")
        serializer.instance = services.record_follow_up(allocation, actor=self.request.user, **data)
