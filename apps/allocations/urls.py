from django.urls import path

from . import views

app_name = "allocations"

urlpatterns = [
    path("", views.allocation_list, name="allocation_list"),
    path("new/", views.allocation_create, name="allocation_create"),
    path("<int:pk>/", views.allocation_detail, name="allocation_detail"),
    path("<int:pk>/hand-over/", views.allocation_hand_over, name="allocation_hand_over"),
    path("<int:pk>/return/", views.allocation_return, name="allocation_return"),
    path("<int:pk>/convert-to-gift/", views.allocation_convert, name="allocation_convert"),
    path("<int:pk>/cancel/", views.allocation_cancel, name="allocation_cancel"),
    path("<int:pk>/declare-lost/", views.allocation_lost, name="allocation_lost"),
    path("<int:pk>/follow-ups/", views.follow_up_create, name="follow_up_create"),
    path("<int:pk>/agreement.pdf", views.allocation_agreement, name="allocation_agreement"),
]
