from django.db import migrations


def create_role_groups(apps, schema_editor):
    from apps.accounts.roles import sync_role_groups

    sync_role_groups(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
