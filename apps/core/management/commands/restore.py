"""``python manage.py restore FILE``: bring a ``backup`` archive back into an EMPTY database.

Run ``migrate`` on the new database first. The restore refuses a database that already holds
data (anything beyond what ``migrate`` creates), so a mistyped command cannot mix two sites.
"""

import shutil
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from .backup import FORMAT_VERSION

# What `migrate` creates by itself (content types, permissions, the role groups).
CREATED_BY_MIGRATE = {"contenttypes", "auth.permission", "auth.group", "sessions"}


def non_empty_models():
    found = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if not model._meta.managed or model._meta.proxy:
            continue
        if label in CREATED_BY_MIGRATE or model._meta.app_label in CREATED_BY_MIGRATE:
            continue
        if label == "auth.group_permissions":
            continue
        if model._meta.auto_created and model._meta.auto_created._meta.label_lower in CREATED_BY_MIGRATE:
            continue
        if model._default_manager.exists():
            found.append(label)
    return found


class Command(BaseCommand):
    help = "Restore a backup archive (from `backup`) into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz file written by `backup`.")

    def handle(self, *args, archive, **options):
        archive = Path(archive)
        if not archive.is_file():
            raise CommandError(f"{archive}: no such file.")
        found = non_empty_models()
        if found:
            raise CommandError(
                "The database is not empty (it holds "
                + ", ".join(found[:5])
                + (", …" if len(found) > 5 else "")
                + "). Restore only into a new database: create it, run `manage.py migrate`, then restore."
            )
        media_root = Path(settings.MEDIA_ROOT)
        with tempfile.TemporaryDirectory() as work:
            work = Path(work)
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(work, filter="data")
            version = (work / "VERSION").read_text().strip() if (work / "VERSION").exists() else "?"
            if version != FORMAT_VERSION:
                raise CommandError(f"{archive}: not a backup of this version (format {version}).")
            # The history rows come from the archive: loading must not write new ones (a
            # many-to-many set would, through simple-history's m2m_changed handler).
            with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
                call_command("loaddata", str(work / "data.json"), verbosity=0)
            files = 0
            if (work / "media").is_dir():
                for path in (work / "media").rglob("*"):
                    if path.is_file():
                        target = media_root / path.relative_to(work / "media")
                        target.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(path, target)
                        files += 1
        self.stdout.write(
            f"Restored {archive}: data loaded, {files} uploaded file(s) copied to {media_root}."
        )
