from django.contrib import admin

from apps.core.admin import HistoryAdmin, ReadOnlyAdmin

from .models import Household, Neighbourhood


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(HistoryAdmin):
    list_display = ["name", "code", "is_priority"]
    list_filter = ["is_priority"]
    search_fields = ["name", "code"]


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    """Read-only: households are registered and changed on the trainers' screens, where the
    duplicate check and the scoping apply."""

    list_display = ["contact_name", "neighbourhood", "size", "referred_by", "structure", "created_at"]
    list_filter = ["referred_by", "neighbourhood__is_priority", "structure"]
    list_select_related = ["neighbourhood", "structure"]
    search_fields = ["contact_name", "phone_key"]
