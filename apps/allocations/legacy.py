"""One-off repairs of rows written by earlier versions, run by data migrations (and tested
here, on the current models, since a migration's models are the same shape)."""

import re

# Until December 2026 a return's or a loss's note was written on the devices' moves, after
# the allocation's number: "Returned (Good): allocation no. 00012 — <note>". Every role
# reads a device's moves; the note is about the household as often as the devices.
SEPARATOR = " — "
NUMBER_THEN_NOTE = re.compile(r" (\d{5,})" + SEPARATOR)


def move_closing_notes_off_devices(apps):
    """Move each such note to its allocation's ``closing_note`` (unless one is there) and
    cut it from the device's move and the change reason of the device's history row.
    ``apps``: a migration's app registry, or ``django.apps.apps``."""
    allocations = apps.get_model("allocations", "Allocation").objects
    moves = apps.get_model("devices", "StatusChange").objects
    device_history = apps.get_model("devices", "HistoricalDevice").objects
    closing_moves = moves.filter(to_status__in=["returned", "lost"], note__contains=SEPARATOR)
    for move in closing_moves.order_by("pk").iterator():
        found = NUMBER_THEN_NOTE.search(move.note)
        if found is None:
            continue
        allocation = allocations.filter(pk=int(found.group(1)), items__device_id=move.device_id).first()
        if allocation is None:
            continue
        neutral, typed = move.note[: found.end() - len(SEPARATOR)], move.note[found.end() :]
        if typed and not allocation.closing_note:
            allocations.filter(pk=allocation.pk).update(closing_note=typed)
        # Rewrites of past rows, which is what a repair is: no new history row.
        device_history.filter(
            id=move.device_id, history_change_reason__startswith=neutral + SEPARATOR
        ).update(history_change_reason=neutral)
        moves.filter(pk=move.pk).update(note=neutral)
