from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.CourseListView.as_view(), name="course_list"),
    path("courses/new/", views.CourseCreateView.as_view(), name="course_create"),
    path("courses/<int:pk>/", views.CourseDetailView.as_view(), name="course_detail"),
    path("courses/<int:pk>/edit/", views.CourseUpdateView.as_view(), name="course_update"),
    path("courses/<int:pk>/sessions/new/", views.SessionCreateView.as_view(), name="session_create"),
    path("courses/<int:pk>/enrol/", views.EnrolmentCreateView.as_view(), name="enrolment_create"),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session_detail"),
    path("sessions/<int:pk>/edit/", views.SessionUpdateView.as_view(), name="session_update"),
    path("sessions/<int:pk>/attendance/", views.SessionAttendanceView.as_view(), name="session_attendance"),
    path("sessions/<int:pk>/sheet.pdf", views.SessionSheetView.as_view(), name="session_sheet"),
    path("enrolments/<int:pk>/withdraw/", views.EnrolmentWithdrawView.as_view(), name="enrolment_withdraw"),
]
