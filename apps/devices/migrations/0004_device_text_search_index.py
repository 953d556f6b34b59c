from django.db import migrations

from apps.devices.search import create_index, drop_index


class Migration(migrations.Migration):
    """A trigram index for the device list's text search (see ``apps/devices/search.py``)."""

    dependencies = [("devices", "0003_statuschange_device_status_index")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
