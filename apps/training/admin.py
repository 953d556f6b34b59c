from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Attendance, Course, Enrolment, Session


class ReadOnlyMixin:
    """For audits (records and their history). Changes go through the trainers' screens,
    where the capacity, the waiting list and the completion rule are enforced."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    pass


class SessionInline(ReadOnlyMixin, admin.TabularInline):
    model = Session
    fields = ["starts_at", "duration_minutes", "topic", "title", "place"]
    extra = 0


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ["title", "structure", "starts_on", "ends_on", "capacity", "min_sessions"]
    list_filter = ["structure"]
    list_select_related = ["structure"]
    search_fields = ["title"]
    inlines = [SessionInline]


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "course", "starts_at", "topic"]
    list_filter = ["topic"]
    list_select_related = ["course"]


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["household", "course", "status", "requested_at", "status_changed_at"]
    list_filter = ["status"]
    list_select_related = ["household", "course"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["session", "enrolment", "present", "recorded_at"]
    list_filter = ["present"]
    list_select_related = ["session", "enrolment__household", "enrolment__course"]
