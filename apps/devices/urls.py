from django.urls import path

from . import views

app_name = "devices"

urlpatterns = [
    path("devices/", views.DeviceListView.as_view(), name="device_list"),
    path("devices/find/", views.device_find, name="device_find"),
    path("devices/labels/", views.label_print, name="label_print"),
    path("devices/<str:tag>/", views.device_detail, name="device_detail"),
    path("devices/<str:tag>/timeline/", views.device_full_timeline, name="device_timeline"),
    path("devices/<str:tag>/edit/", views.device_update, name="device_update"),
    path("devices/<str:tag>/transition/", views.device_transition, name="device_transition"),
    path("devices/<str:tag>/interventions/new/", views.intervention_create, name="intervention_create"),
    path("devices/<str:tag>/erasures/new/", views.erasure_create, name="erasure_create"),
    path("devices/<str:tag>/erasures/<int:pk>/log/", views.erasure_log, name="erasure_log"),
    path("devices/<str:tag>/photo/", views.device_photo, name="device_photo"),
    path("d/<str:tag>", views.device_short, name="device_short"),
    path("donors/", views.DonorListView.as_view(), name="donor_list"),
    path("donors/new/", views.DonorCreateView.as_view(), name="donor_create"),
    path("donors/<int:pk>/", views.DonorDetailView.as_view(), name="donor_detail"),
    path("donors/<int:pk>/edit/", views.DonorUpdateView.as_view(), name="donor_update"),
    path("donations/", views.DonationListView.as_view(), name="donation_list"),
    path("donations/new/", views.DonationCreateView.as_view(), name="donation_create"),
    path("donations/<int:pk>/", views.donation_detail, name="donation_detail"),
    path("donations/<int:pk>/edit/", views.DonationUpdateView.as_view(), name="donation_update"),
    path("donations/<int:pk>/move/", views.donation_bulk_transition, name="donation_bulk_transition"),
    path("donations/<int:pk>/import/", views.donation_import, name="donation_import"),
    path("donations/<int:pk>/import/confirm/", views.donation_import_confirm, name="donation_import_confirm"),
    path("donations/<int:pk>/receipt.pdf", views.donation_receipt, name="donation_receipt"),
]
