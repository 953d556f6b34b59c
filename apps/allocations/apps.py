from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllocationsConfig(AppConfig):
    name = "apps.allocations"
    label = "allocations"
    verbose_name = _("Allocations")

    def ready(self):
        from . import timeline  # noqa: F401  (adds allocations to device timelines)
