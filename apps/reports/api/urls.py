from django.urls import path

from .views import HandoverListView, ReportSummaryView

urlpatterns = [
    path("reports/summary/", ReportSummaryView.as_view(), name="report_summary"),
    path("reports/handovers.csv", HandoverListView.as_view(), name="report_handovers"),
]
