from django.urls import path

from . import views

app_name = "households"

urlpatterns = [
    path("", views.HouseholdListView.as_view(), name="household_list"),
    path("new/", views.HouseholdCreateView.as_view(), name="household_create"),
    path("<int:pk>/", views.HouseholdDetailView.as_view(), name="household_detail"),
    path("<int:pk>/edit/", views.HouseholdUpdateView.as_view(), name="household_update"),
    path("<int:pk>/export.json", views.HouseholdExportView.as_view(), name="household_export"),
    path("<int:pk>/anonymise/", views.HouseholdAnonymiseView.as_view(), name="household_anonymise"),
    path("neighbourhoods/", views.NeighbourhoodListView.as_view(), name="neighbourhood_list"),
    path("neighbourhoods/new/", views.NeighbourhoodCreateView.as_view(), name="neighbourhood_create"),
    path(
        "neighbourhoods/<int:pk>/edit/", views.NeighbourhoodUpdateView.as_view(), name="neighbourhood_update"
    ),
]
