"""A trigram index for the device list's text search (see ``apps/devices/search.py``).

The statements are written out here rather than imported, so this migration does tomorrow
what it did the day it was written. The searched text must stay the one
``apps.devices.search`` queries; changing it means a new migration.
"""

from django.db import migrations

SEARCHED_TEXT = "asset_tag || ' ' || serial_number || ' ' || brand || ' ' || model"
NEW_ROW = "new.asset_tag || ' ' || new.serial_number || ' ' || new.brand || ' ' || new.model"

CREATE = {
    "sqlite": [
        "CREATE VIRTUAL TABLE devices_device_search USING fts5(text, tokenize = 'trigram case_sensitive 0')",
        f"INSERT INTO devices_device_search (rowid, text) SELECT id, {SEARCHED_TEXT} FROM devices_device",
        f"""CREATE TRIGGER devices_device_search_insert AFTER INSERT ON devices_device BEGIN
            INSERT INTO devices_device_search (rowid, text) VALUES (new.id, {NEW_ROW});
        END""",
        f"""CREATE TRIGGER devices_device_search_update
            AFTER UPDATE OF asset_tag, serial_number, brand, model ON devices_device BEGIN
            UPDATE devices_device_search SET text = {NEW_ROW} WHERE rowid = new.id;
        END""",
        """CREATE TRIGGER devices_device_search_delete AFTER DELETE ON devices_device BEGIN
            DELETE FROM devices_device_search WHERE rowid = old.id;
        END""",
    ],
    "postgresql": [
        # A trusted extension since PostgreSQL 13: the database's owner may create it.
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"CREATE INDEX device_search_trgm ON devices_device USING gin ((lower({SEARCHED_TEXT})) gin_trgm_ops)",
    ],
}
DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS devices_device_search_insert",
        "DROP TRIGGER IF EXISTS devices_device_search_update",
        "DROP TRIGGER IF EXISTS devices_device_search_delete",
        "DROP TABLE IF EXISTS devices_device_search",
    ],
    "postgresql": ["DROP INDEX IF EXISTS device_search_trgm"],
}


def run(statements):
    def operation(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("devices", "0003_statuschange_device_status_index")]

    operations = [migrations.RunPython(run(CREATE), run(DROP), elidable=False)]
