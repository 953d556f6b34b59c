"""Backup and restore round trip: every model's count, history included, and the files."""

from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from apps.core.management.commands.restore import non_empty_models

from .conftest import build_world


def _counts():
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in {"contenttypes", "sessions", "axes"} and model._meta.managed
    }


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_database(
    tmp_path, settings, regie, mediatheque, trainer, technician, coordinator
):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(regie=regie, mediatheque=mediatheque, trainer=trainer, technician=technician)
    before = _counts()
    assert before["households.historicalhousehold"] >= 1
    assert before["devices.historicaldevice"] >= 1
    log_name = world.erasure.log_file.name

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=open("/dev/null", "w"))
    assert archive.stat().st_size > 0

    # A refused restore: the database still holds everything.
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(archive))

    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    assert non_empty_models() == []

    call_command("restore", str(archive), stdout=open("/dev/null", "w"))
    assert _counts() == before
    assert (Path(settings.MEDIA_ROOT) / log_name).read_bytes() == b"all sectors zeroed\n"
    # Sequences follow the restored rows: a new row gets a fresh key.
    from apps.households.models import Neighbourhood

    Neighbourhood.objects.create(name="Nouveau quartier")
