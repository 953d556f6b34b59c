from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from apps.core.admin import HistoryAdmin

from .models import Structure, User


@admin.register(Structure)
class StructureAdmin(HistoryAdmin):
    list_display = ["name", "kind", "city", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "city"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "structure", "is_active"]
    list_filter = ["groups", "structure", "is_active"]
    list_select_related = ["structure"]

    coordinator_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role and structure"), {"fields": ("structure", "groups", "is_active")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_fieldsets(self, request, obj=None):
        # Coordinators manage people and roles, never superuser rights or raw permissions.
        if obj is not None and not request.user.is_superuser:
            return self.coordinator_fieldsets
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            fieldsets = (*fieldsets, (_("Structure"), {"fields": ("structure",)}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if not request.user.is_superuser:
            return ("last_login", "date_joined")
        return super().get_readonly_fields(request, obj)
