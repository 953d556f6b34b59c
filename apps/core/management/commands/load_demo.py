from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Load the demo data: partner structures, one login per role (password "
        "'ordipratique') and sample records. Safe to run again: existing data is kept as is."
    )

    def handle(self, *args, **options):
        # Each app may ship a `demo` module with `load(stdout=...)`; they run in the order
        # of INSTALLED_APPS, so later apps can build on earlier ones' demo records.
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                if not app_config.name.startswith("apps."):
                    continue
                module_name = f"{app_config.name}.demo"
                if find_spec(module_name) is None:
                    continue
                import_module(module_name).load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
