from django.urls import path, re_path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("report.xlsx", views.workbook_export, name="report_xlsx"),
    re_path(r"^tables/(?P<key>[a-z_]+)\.(?P<extension>csv|xlsx)$", views.table_export, name="table_export"),
    re_path(r"^handovers\.(?P<extension>csv|xlsx)$", views.handovers, name="handovers"),
    path("history/", views.history, name="history"),
    path("history/<slug:kind>/<int:pk>/", views.object_history, name="object_history"),
]
