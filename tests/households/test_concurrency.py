"""An edit racing an erasure: the erased details never come back.

The edit form read the household before the erasure; the erasure is committing while the
edit is saved. Each side has its own thread and connection. On PostgreSQL the row lock in
``update_household`` makes the edit wait for the erasure and then see it; SQLite serialises
writers (IMMEDIATE transactions).
"""

import threading
import time

import pytest
from django.db import connection, transaction

from apps.core.exceptions import ConflictError
from apps.households import privacy, services
from apps.households.models import Household
from tests.factories import HouseholdFactory


@pytest.mark.django_db(transaction=True)
def test_an_edit_opened_before_an_erasure_cannot_bring_the_details_back(trainer, coordinator):
    household = HouseholdFactory(
        structure=trainer.structure, phone="06 11 22 33 44", address="3 rue Vaillant"
    )
    opened_for_editing = Household.objects.get(pk=household.pk)
    erasing = threading.Event()
    outcomes = []

    def erase():
        try:
            with transaction.atomic():
                privacy.anonymise_household(household, actor=coordinator, reason="erasure on request")
                erasing.set()
                time.sleep(0.5)  # still committing when the edit is saved
        finally:
            erasing.set()
            connection.close()

    def edit():
        try:
            erasing.wait(timeout=10)
            services.update_household(opened_for_editing, actor=trainer, size=5)
            outcomes.append("saved")
        except ConflictError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=erase), threading.Thread(target=edit)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes == ["anonymised"]
    household.refresh_from_db()
    assert household.anonymised_at is not None
    assert (household.phone, household.address, household.size) == ("", "", 3)
