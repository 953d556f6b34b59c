from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Device, Donation, Donor, Erasure, Intervention


class ReadOnlyStatusMixin:
    """Status moves go through the service (the device page or the API), never the admin."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Donor)
class DonorAdmin(ReadOnlyStatusMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "contact_name", "phone"]
    list_filter = ["kind"]
    search_fields = ["name", "contact_name", "email"]


@admin.register(Donation)
class DonationAdmin(ReadOnlyStatusMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "received_on", "structure"]
    list_select_related = ["donor", "structure"]
    date_hierarchy = "received_on"


@admin.register(Device)
class DeviceAdmin(ReadOnlyStatusMixin, SimpleHistoryAdmin):
    list_display = ["asset_tag", "kind", "brand", "model", "serial_number", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["asset_tag", "serial_number", "brand", "model"]
    readonly_fields = ["asset_tag", "status", "status_changed_at", "donation"]
    list_select_related = ["donation"]


@admin.register(Intervention)
class InterventionAdmin(ReadOnlyStatusMixin, SimpleHistoryAdmin):
    list_display = ["device", "kind", "minutes", "performed_by_name", "performed_at"]
    list_select_related = ["device"]


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyStatusMixin, SimpleHistoryAdmin):
    list_display = ["device", "method", "drive_serial", "result", "operator_name", "performed_at"]
    list_select_related = ["device"]
