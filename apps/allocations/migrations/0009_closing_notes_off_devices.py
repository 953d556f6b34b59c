from django.db import migrations


def forwards(apps, schema_editor):
    from apps.allocations.legacy import move_closing_notes_off_devices

    move_closing_notes_off_devices(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("allocations", "0008_closing_note"),
        ("devices", "0006_plausible_values"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
