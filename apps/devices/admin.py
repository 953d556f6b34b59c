from django.contrib import admin

from apps.core.admin import ReadOnlyAdmin

from .models import Device, Donation, Donor, Erasure, Intervention


@admin.register(Donor)
class DonorAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "contact_name", "phone"]
    list_filter = ["kind"]
    search_fields = ["name", "contact_name", "email"]


@admin.register(Donation)
class DonationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "received_on", "structure"]
    list_select_related = ["donor", "structure"]
    date_hierarchy = "received_on"


@admin.register(Device)
class DeviceAdmin(ReadOnlyAdmin):
    list_display = ["asset_tag", "kind", "brand", "model", "serial_number", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["asset_tag", "serial_number", "brand", "model"]
    list_select_related = ["donation"]


@admin.register(Intervention)
class InterventionAdmin(ReadOnlyAdmin):
    list_display = ["device", "kind", "minutes", "performed_by_name", "performed_at"]
    list_select_related = ["device"]


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyAdmin):
    list_display = ["device", "method", "drive_serial", "result", "operator_name", "performed_at"]
    list_select_related = ["device"]
