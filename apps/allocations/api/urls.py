from apps.core.api.routers import Router

from .views import AllocationViewSet, FollowUpViewSet

router = Router()
router.register("allocations", AllocationViewSet, basename="allocation")
router.register("follow-ups", FollowUpViewSet, basename="followup")

urlpatterns = router.urls
