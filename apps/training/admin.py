from django.contrib import admin

from apps.core.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import Attendance, Course, Enrolment, Session


class SessionInline(ReadOnlyTabularInline):
    model = Session
    fields = ["starts_at", "duration_minutes", "topic", "title", "place"]


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
