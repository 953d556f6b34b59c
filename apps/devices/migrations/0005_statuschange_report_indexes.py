from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """The report's covering indexes on the moves. The new ones are built before the old ones
    are dropped: a build only blocks writes to the table, while a dropped index holds its
    exclusive lock until the migration commits, so the drops come last and last an instant."""

    dependencies = [
        ("devices", "0004_device_text_search_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="statuschange",
            index=models.Index(fields=["device", "to_status", "-at", "from_status"], name="statuschange_device_last_idx"),
        ),
        migrations.AddIndex(
            model_name="statuschange",
            index=models.Index(fields=["to_status", "at", "from_status", "device"], name="statuschange_status_at_idx"),
        ),
        migrations.RemoveIndex(model_name="statuschange", name="statuschange_to_at_idx"),
        migrations.RemoveIndex(model_name="statuschange", name="statuschange_device_to_idx"),
    ]
