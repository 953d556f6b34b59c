from rest_framework.routers import SimpleRouter

from .views import StructureViewSet

router = SimpleRouter()
router.register("structures", StructureViewSet)

urlpatterns = router.urls
