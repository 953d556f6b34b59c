"""``python manage.py backup --output FILE``: everything, in one consistent archive.

The archive is a gzipped tar holding ``data.json`` (every table, history included, read in
one transaction through Django's serializer with natural keys, like ``dumpdata``) and
``media/`` (uploaded photos and erasure logs). ``restore`` brings it back into an empty,
migrated database. Schedule it from cron; see README, "Security and privacy".
"""

import io
import tarfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction

# Rebuilt by `migrate` from the code, or meaningless once restored elsewhere.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]
FORMAT_VERSION = "1"


def stored_models():
    """``app_label.Model`` of every table to save: not the unmanaged ones (a permission
    holder like ``reports.Report`` has no table) nor those rebuilt by ``migrate``."""
    from django.apps import apps

    return [
        model._meta.label
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.app_label not in EXCLUDED
        and model._meta.label_lower not in EXCLUDED
    ]


class Command(BaseCommand):
    help = "Write a consistent backup (data, history and uploaded files) to a .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Path of the archive to write (.tar.gz).")

    def handle(self, *args, output, **options):
        data = io.StringIO()
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # One snapshot for every table: rows written meanwhile are all in or all out.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            call_command(
                "dumpdata",
                *stored_models(),
                natural_foreign=True,
                natural_primary=True,
                stdout=data,
                verbosity=0,
            )
        payload = data.getvalue().encode()
        output = Path(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        media_root = Path(settings.MEDIA_ROOT)
        files = 0
        with tarfile.open(output, "w:gz") as archive:
            _add_bytes(archive, "VERSION", FORMAT_VERSION.encode())
            _add_bytes(archive, "data.json", payload)
            if media_root.is_dir():
                for path in sorted(media_root.rglob("*")):
                    if path.is_file():
                        archive.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
                        files += 1
        self.stdout.write(
            f"Backup written to {output}: {len(payload)} bytes of data, {files} uploaded file(s)."
        )


def _add_bytes(archive, name, content):
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(time.time())
    archive.addfile(info, io.BytesIO(content))
