from django.db import migrations, models


class Migration(migrations.Migration):
    """Indexes for the allocations lists: newest reservation first, the overdue loans by due
    date, and whether a household was reached (the follow-ups due). The new (status, kind, due_on) index serves the report's stock as the
    (status, kind) one did; it is built before the old one is dropped, so the table is never
    without one."""

    dependencies = [
        ("allocations", "0004_followup_contacted_on_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="allocation",
            index=models.Index(fields=["status", "kind", "due_on"], name="allocation_status_kind_due_idx"),
        ),
        migrations.AddIndex(
            model_name="allocation",
            index=models.Index(fields=["reserved_at", "id"], name="allocation_reserved_idx"),
        ),
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(fields=["allocation", "reached"], name="followup_reached_idx"),
        ),
        migrations.RemoveIndex(
            model_name="allocation",
            name="allocation_status_kind_idx",
        ),
    ]
