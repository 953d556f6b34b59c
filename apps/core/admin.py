from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """The admin with each record's history, to read. django-simple-history's "revert" page
    saves whatever form is posted to it as soon as the user may *view* the record (it hides
    its button, not the save): it would let a coordinator rewrite an erasure or an
    enrolment. A past version is shown, never saved back; changes go through the change
    form, or the screens and the API."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        request.showing_past_version = True  # shown as text, not as a form one might fill
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        if getattr(request, "showing_past_version", False):
            return [
                field.name
                for field in self.model._meta.get_fields()
                if field.concrete and not field.auto_created
            ]
        return super().get_readonly_fields(request, obj)

    def revert_disabled(self, request, obj=None):
        return True


class ReadOnlyMixin:
    """For audits: the admin shows records and their history, and changes none of them.
    Changes go through the screens and the API, whose services check the rules (erasure
    before "ready", capacity, duplicates...) and record the actor; an admin form would
    save past them, even for a superuser."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, HistoryAdmin):
    pass


class ReadOnlyTabularInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
