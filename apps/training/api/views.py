from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api.permissions import HasPerm
from apps.core.exceptions import DomainError

from .. import selectors, services
from ..filters import CourseFilter
from .serializers import (
    AttendanceSerializer,
    CourseSerializer,
    EnrolmentSerializer,
    SessionSerializer,
    TakeAttendanceSerializer,
    WithdrawalResultSerializer,
    WithdrawalSerializer,
)

WRITE_METHODS = ["get", "post", "put", "patch", "head", "options"]


class ServiceWritesMixin:
    """Creates and updates through the services, then answers the row as the list shows it
    (with its computed figures). ``fixed_field`` names the parent an object never leaves:
    a course stays with its structure, a session with its course; changing it is refused."""

    create_service = None
    update_service = None
    fixed_field = None

    def creation_fields(self, fields):
        return fields

    def perform_create(self, serializer):
        fields = self.creation_fields(dict(serializer.validated_data))
        created = self.create_service(actor=self.request.user, **fields)
        serializer.instance = self.get_queryset().get(pk=created.pk)

    def perform_update(self, serializer):
        fields = dict(serializer.validated_data)
        moved_to = fields.pop(self.fixed_field, None)
        if moved_to is not None and moved_to != getattr(serializer.instance, self.fixed_field):
            raise DomainError(
                _("This cannot be changed once created."), code="immutable", field=self.fixed_field
            )
        updated = self.update_service(serializer.instance, actor=self.request.user, **fields)
        serializer.instance = self.get_queryset().get(pk=updated.pk)


class CourseViewSet(ServiceWritesMixin, viewsets.ModelViewSet):
    """Courses of the user's structure (all of them for coordinators)."""

    serializer_class = CourseSerializer
    filterset_class = CourseFilter
    http_method_names = WRITE_METHODS
    create_service = staticmethod(services.create_course)
    update_service = staticmethod(services.update_course)
    fixed_field = "structure"

    def get_queryset(self):
        return selectors.course_list(self.request.user)

    def creation_fields(self, fields):
        return {"structure": self.request.user.structure, **fields}


class SessionViewSet(ServiceWritesMixin, viewsets.ModelViewSet):
    serializer_class = SessionSerializer
    filterset_fields = ["course", "topic"]
    http_method_names = WRITE_METHODS
    create_service = staticmethod(services.create_session)
    update_service = staticmethod(services.update_session)
    fixed_field = "course"

    def get_queryset(self):
        return selectors.session_list(self.request.user)

    @extend_schema(request=TakeAttendanceSerializer, responses=AttendanceSerializer)
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[
            permissions.IsAuthenticated,
            HasPerm.of("training.add_attendance", "training.change_attendance"),
        ],
    )
    def attendance(self, request, pk=None):
        """Mark a household present or absent at this session (taking it again overwrites it)."""
        session = self.get_object()
        payload = TakeAttendanceSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        attendance = services.record_attendance(actor=request.user, session=session, **payload.validated_data)
        return Response(AttendanceSerializer(attendance).data)


class EnrolmentViewSet(ServiceWritesMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Enrolments. ``POST`` enrols (status ``enrolled``, or ``waiting`` when the course is
    full); ``POST …/withdraw/`` withdraws. No other change: the status is never written."""

    serializer_class = EnrolmentSerializer
    filterset_fields = ["course", "household", "status"]
    create_service = staticmethod(services.enrol_household)

    def get_queryset(self):
        return selectors.enrolment_list(self.request.user)

    @extend_schema(request=WithdrawalSerializer, responses=WithdrawalResultSerializer)
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, HasPerm.of("training.change_enrolment")],
    )
    def withdraw(self, request, pk=None):
        """Withdraw with a reason; the first household of the waiting list takes the place."""
        enrolment = self.get_object()
        payload = WithdrawalSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        withdrawal = services.withdraw_enrolment(
            actor=request.user, enrolment=enrolment, reason=payload.validated_data["reason"]
        )
        result = get_object_or_404(self.get_queryset(), pk=withdrawal.enrolment.pk)
        result.promoted = [promoted.pk for promoted in withdrawal.promoted]
        result.cancelled_allocations = [allocation.pk for allocation in withdrawal.cancelled]
        return Response(WithdrawalResultSerializer(result).data)


class AttendanceViewSet(viewsets.ReadOnlyModelViewSet):
    """Attendance taken at the sessions of the user's courses, by session then enrolment
    (their ids); written through ``POST /api/sessions/{id}/attendance/``."""

    serializer_class = AttendanceSerializer
    filterset_fields = ["session"]

    def get_queryset(self):
        # By session, then enrolment, by their ids: the order of the table's unique key, which
        # a page reads from its index. (The model's order, by the session's time and the
        # enrolment's date, sorted all 120,000 rows of a metropolis for each page.)
        return selectors.attendances_visible_to(self.request.user).order_by("session_id", "enrolment_id")
