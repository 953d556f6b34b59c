from apps.core.api.routers import Router

from .views import StructureViewSet

router = Router()
router.register("structures", StructureViewSet)

urlpatterns = router.urls
