from apps.core.api.serializers import ModelSerializer

from ..models import Structure


class StructureSerializer(ModelSerializer):
    class Meta:
        model = Structure
        fields = ["id", "name", "kind", "city", "is_active"]
