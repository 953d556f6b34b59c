from rest_framework import viewsets

from .. import services
from ..models import Structure
from .serializers import StructureSerializer


class StructureViewSet(viewsets.ModelViewSet):
    """Partner structures. Everyone signed in may read them; coordinators edit them."""

    queryset = Structure.objects.all()
    serializer_class = StructureSerializer
    filterset_fields = ["kind", "is_active"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.create_structure(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        services.update_structure(serializer.instance, actor=self.request.user, **serializer.validated_data)
