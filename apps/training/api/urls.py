from apps.core.api.routers import Router

from .views import AttendanceViewSet, CourseViewSet, EnrolmentViewSet, SessionViewSet

router = Router()
router.register("courses", CourseViewSet, basename="course")
router.register("sessions", SessionViewSet, basename="session")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
router.register("attendance", AttendanceViewSet, basename="attendance")

urlpatterns = router.urls
