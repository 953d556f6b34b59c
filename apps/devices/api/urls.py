from apps.core.api.routers import Router

from .views import DeviceViewSet, DonationViewSet, DonorViewSet, LabelViewSet

router = Router()
router.register("donors", DonorViewSet)
router.register("donations", DonationViewSet)
router.register("devices", DeviceViewSet)
router.register("labels", LabelViewSet, basename="label")

urlpatterns = router.urls
