from apps.core.api.routers import Router

from .views import HouseholdViewSet, NeighbourhoodViewSet

router = Router()
router.register("neighbourhoods", NeighbourhoodViewSet)
router.register("households", HouseholdViewSet, basename="household")

urlpatterns = router.urls
