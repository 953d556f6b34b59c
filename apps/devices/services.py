"""Every write on donors, donations and devices.

A device's status changes in one place only, ``transition()``; the allocation services
call it too. The allowed moves are the data in ``TRANSITIONS``.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Exists, Model, OuterRef, Q, Subquery
from django.db.models.expressions import DatabaseDefault
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.bulk import insert_rows
from apps.core.exceptions import ConflictError, DomainError
from apps.core.history import actor_name, bulk_create_audited, with_actor

from .choices import DeviceStatus, ErasureResult
from .importing import read_device_file
from .models import AssetTagCounter, Device, Donation, Donor, Erasure, Intervention, StatusChange

S = DeviceStatus

TRANSITIONS = {
    S.COLLECTED: {S.DIAGNOSIS, S.RECYCLED, S.DESTROYED},
    S.DIAGNOSIS: {S.RECONDITIONING, S.RECYCLED, S.DESTROYED},
    S.RECONDITIONING: {S.READY, S.DIAGNOSIS, S.RECYCLED, S.DESTROYED},
    S.READY: {S.RESERVED, S.RECONDITIONING, S.RECYCLED, S.DESTROYED},
    S.RESERVED: {S.ALLOCATED, S.READY},
    S.ALLOCATED: {S.RETURNED, S.LOST},
    S.RETURNED: {S.DIAGNOSIS},
    S.RECYCLED: set(),
    S.DESTROYED: set(),
    S.LOST: set(),
}

# These moves belong to an allocation (reserve, hand over, cancel, return). Only the
# allocation services make them, so a device and its allocation never disagree.
ALLOCATION_MOVES = {
    (S.READY, S.RESERVED),
    (S.RESERVED, S.ALLOCATED),
    (S.RESERVED, S.READY),
    (S.ALLOCATED, S.RETURNED),
    (S.ALLOCATED, S.LOST),
}

END_OF_LIFE = {S.RECYCLED, S.DESTROYED}
# Cleared for a household: what the move to "ready" checked must stay true while here.
CLEARED_FOR_HANDOVER = {S.READY, S.RESERVED}


def manual_moves(status):
    """The statuses a person may move a device to from ``status`` with the move buttons."""
    return [to for to in S if to in TRANSITIONS[S(status)] and (S(status), to) not in ALLOCATION_MOVES]


def check_move(from_status, to_status, *, via_allocation=False):
    """Raise ``DomainError`` unless ``from_status → to_status`` is an allowed move."""
    from_status, to_status = S(from_status), S(to_status)
    if to_status not in TRANSITIONS[from_status]:
        allowed = ", ".join(str(s.label) for s in S if s in TRANSITIONS[from_status]) or _("none")
        raise DomainError(
            _("A device that is “%(from)s” cannot become “%(to)s”. Allowed moves: %(allowed)s.")
            % {"from": from_status.label, "to": to_status.label, "allowed": allowed},
            code="illegal_transition",
            field="to",
        )
    if (from_status, to_status) in ALLOCATION_MOVES and not via_allocation:
        raise DomainError(
            _("Reserving, handing over, cancelling and returning a device are done from its allocation."),
            code="allocation_move",
            field="to",
        )


def valid_erasures(device):
    """The passed erasures recorded since ``device`` (a device, or ``OuterRef("pk")`` in a
    query of devices) last came back from a household: what it needs to be ready."""
    # Relative to each erasure's own device, so that the same query serves inside a query of
    # devices, where ``OuterRef("pk")`` one level down would name the erasure.
    returns = StatusChange.objects.filter(device=OuterRef("device"), to_status=S.RETURNED)
    last_return = returns.order_by("-at").values("at")[:1]
    return Erasure.objects.filter(device=device, result=ErasureResult.PASSED).filter(
        Q(performed_at__gte=Subquery(last_return)) | ~Exists(returns)
    )


def has_valid_erasure(device):
    return valid_erasures(device).exists()


def _check_ready_to_hand_over(device, *, editing=False):
    """What a device must have to be ready for a household: checked on the move to "ready",
    and on every edit of a device already ready or reserved, so that an edit (a drive found
    later, a size cleared) cannot get round the move's check."""
    field = "storage_gb" if editing else "to"
    if device.storage_unknown:
        raise DomainError(
            _(
                "This device is ready to be handed over: its storage size must be given (0 if it has no drive)."
            )
            if editing
            else _("Record the storage size of this device (0 if it has no drive) before marking it ready."),
            code="storage_unknown",
            field=field,
        )
    if device.has_storage and not has_valid_erasure(device):
        raise DomainError(
            _(
                "This device is ready to be handed over and has no passed erasure: move it back to "
                "reconditioning before recording a drive, then erase the drive and mark it ready again."
            )
            if editing
            else _("This device has a storage drive: record a passed erasure before marking it ready."),
            code="erasure_required",
            field=field,
        )


def transition(device, to, *, actor, note="", weight_kg=None, expected_status=None, via_allocation=False):
    """Move ``device`` to status ``to``: the only way a device's status changes.

    Locks the device row so that two people cannot move it at once; ``expected_status`` is
    the status the person saw, and a device changed meanwhile answers with a conflict.
    """
    if to not in S.values:
        raise DomainError(
            _("Unknown status “%(status)s”.") % {"status": to}, code="unknown_status", field="to"
        )
    to = S(to)
    with transaction.atomic():
        device = Device.objects.select_for_update().get(pk=device.pk)
        if expected_status and device.status != expected_status:
            raise ConflictError(
                _("This device is now “%(status)s”: someone changed it meanwhile. Reload the page.")
                % {"status": device.get_status_display()},
                code="status_changed",
            )
        check_move(device.status, to, via_allocation=via_allocation)
        if to == S.READY:
            _check_ready_to_hand_over(device)
        if to in END_OF_LIFE:
            if weight_kg is not None:
                device.weight_kg = weight_kg
            if device.weight_kg is None:
                raise DomainError(
                    _("Give the weight in kg: it counts in the e-waste figures."),
                    code="weight_required",
                    field="weight_kg",
                )
        from_status = device.status
        device.status = to
        device.status_changed_at = timezone.now()
        with_actor(device, actor, note).save()
        StatusChange.objects.create(
            device=device,
            from_status=from_status,
            to_status=to,
            note=note,
            actor=actor,
            actor_name=actor_name(actor),
            at=device.status_changed_at,
        )
    return device


class BatchRefused(DomainError):
    """A move of several devices refused as a whole; ``errors`` says why, device by device."""

    default_code = "batch_refused"

    def __init__(self, errors):
        super().__init__(
            _("Nothing was moved: %(count)d device(s) cannot make this move.") % {"count": len(errors)},
            field="to",
        )
        self.errors = errors

    def as_dict(self):
        return {"detail": self.message, "code": self.code, "errors": self.errors}


def transition_many(devices, to, *, actor, note=""):
    """Move several devices to ``to`` at once: all of them, or none if any one is refused.

    A technician who has wiped and tested a batch of laptops moves them together; a device
    the rules refuse (no erasure, wrong step) is listed with its reason and nothing moves.
    """
    errors = []
    with transaction.atomic():
        for device in Device.objects.filter(pk__in=[d.pk for d in devices]).order_by("pk"):
            try:
                with transaction.atomic():
                    transition(device, to, actor=actor, note=note)
            except DomainError as exc:
                errors.append({"asset_tag": device.asset_tag, "message": exc.message})
        if errors:
            raise BatchRefused(errors)
    return len(devices)


def next_asset_tags(count):
    """Reserve ``count`` consecutive asset tags; call inside the transaction that uses them."""
    prefix = settings.ASSET_TAG_PREFIX
    AssetTagCounter.objects.get_or_create(prefix=prefix)
    counter = AssetTagCounter.objects.select_for_update().get(prefix=prefix)
    first = counter.last_number + 1
    counter.last_number += count
    counter.save(update_fields=["last_number"])
    return [f"{prefix}-{number:06d}" for number in range(first, first + count)]


def _validated_device(donation, fields):
    device = Device(donation=donation, **fields)
    device.full_clean(exclude=["asset_tag", "donation"], validate_constraints=False)
    return device


@transaction.atomic
def create_device(*, donation, actor, **fields):
    """Log one device of a donation; it gets the next asset tag at once."""
    device = _validated_device(donation, fields)
    _check_serials_free([device.serial_number])
    (device.asset_tag,) = next_asset_tags(1)
    try:
        with transaction.atomic():
            with_actor(device, actor).save()
    except IntegrityError as exc:
        raise ConflictError(
            _("Another device was recorded meanwhile with this serial number."), field="serial_number"
        ) from exc
    StatusChange.objects.create(
        device=device,
        to_status=S.COLLECTED,
        actor=actor,
        actor_name=actor_name(actor),
        at=device.status_changed_at,
    )
    return device


def _check_serials_free(serials, *, exclude_pk=None):
    wanted = [s for s in serials if s]
    taken = Device.objects.filter(serial_number__in=wanted)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    taken = list(taken.values_list("serial_number", "asset_tag"))
    if taken:
        serial, tag = taken[0]
        raise DomainError(
            _("The serial number %(serial)s is already recorded on device %(tag)s.")
            % {"serial": serial, "tag": tag},
            code="duplicate_serial",
            field="serial_number",
        )


_IMPORT_EXCLUDE = frozenset({"asset_tag", "donation"})


def _validated_devices(donation, rows):
    """``(row, device, ValidationError or None)`` for each row, as ``_validated_device`` checks one.

    The same checks as ``full_clean(exclude=["asset_tag", "donation"], validate_constraints=False)``
    on each device, the same cleaned values and the same messages, run column by column:
    a field's cleaning depends on the value only, so each distinct value of a column is
    cleaned once (a file repeats its kinds, brands, sizes and weights on every row).
    """
    devices = [Device(donation=donation, **fields) for _row, fields in rows]
    field_errors = [{} for _device in devices]
    for field in Device._meta.fields:
        if field.name in _IMPORT_EXCLUDE or field.generated:
            continue
        attname, blank, empty_values = field.attname, field.blank, field.empty_values
        cache = {}
        for device, errors in zip(devices, field_errors, strict=True):
            raw = getattr(device, attname)
            if (blank and raw in empty_values) or isinstance(raw, DatabaseDefault):
                continue
            try:
                key = (type(raw), raw)
                outcome = cache.get(key)
            except TypeError:  # unhashable: clean it every time
                key = outcome = None
            if outcome is None:
                try:
                    outcome = (True, field.clean(raw, device))
                except ValidationError as exc:
                    outcome = (False, exc.error_list)
                if key is not None:
                    cache[key] = outcome
            if outcome[0]:
                setattr(device, attname, outcome[1])
            else:
                errors[field.name] = outcome[1]
    own_clean = type(devices[0]).clean is not Model.clean if devices else False
    unique_checks, date_checks = Device()._get_unique_checks(exclude=_IMPORT_EXCLUDE)
    # A new device has no primary key: the primary key's own check has nothing to compare.
    unique_needed = date_checks or any(fields != (Device._meta.pk.name,) for _m, fields in unique_checks)
    for row, device, errors in zip(rows, devices, field_errors, strict=True):
        if own_clean:
            try:
                device.clean()
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if unique_needed:
            exclude = set(_IMPORT_EXCLUDE) | {name for name in errors if name != NON_FIELD_ERRORS}
            try:
                device.validate_unique(exclude=exclude)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        yield row, device, ValidationError(errors) if errors else None


class ImportRejected(DomainError):
    """The import was refused as a whole; ``errors`` lists each problem by row and field."""

    default_code = "import_rejected"

    def __init__(self, errors):
        super().__init__(_("The file was not imported: %(count)d problem(s).") % {"count": len(errors)})
        self.errors = errors

    def as_dict(self):
        return {"detail": self.message, "code": self.code, "errors": self.errors}


def validate_import_rows(donation, rows):
    """Check every row as ``create_device`` would; return unsaved devices or raise ``ImportRejected``.

    ``rows`` are ``(row_number, fields)`` pairs. All problems are reported at once.
    """
    errors = []
    devices = []
    first_row_of_serial = {}
    for (row_number, _fields), device, exc in _validated_devices(donation, rows):
        if exc is not None:
            for field, messages in exc.message_dict.items():
                errors.extend({"row": row_number, "field": field, "message": m} for m in messages)
            continue
        serial = device.serial_number
        if serial and serial in first_row_of_serial:
            errors.append(
                {
                    "row": row_number,
                    "field": "serial_number",
                    "message": _("Serial number %(serial)s also appears on row %(row)d.")
                    % {"serial": serial, "row": first_row_of_serial[serial]},
                }
            )
        elif serial:
            first_row_of_serial[serial] = row_number
        devices.append((row_number, device))
    taken = dict(
        Device.objects.filter(serial_number__in=list(first_row_of_serial)).values_list(
            "serial_number", "asset_tag"
        )
    )
    for serial, tag in taken.items():
        errors.append(
            {
                "row": first_row_of_serial[serial],
                "field": "serial_number",
                "message": _("Serial number %(serial)s is already recorded on device %(tag)s.")
                % {"serial": serial, "tag": tag},
            }
        )
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: (e["row"], e["field"])))
    return [device for _row, device in devices]


@dataclass
class ImportResult:
    devices: list
    ignored_columns: list
    committed: bool


def _insert_collected_moves(devices, *, actor, at):
    """One ``StatusChange`` "collected" per device, as ``bulk_create`` would write them, but
    column by column (``core.bulk``): every row is the same but for its device."""
    connection = connections[router.db_for_write(StatusChange)]
    template = StatusChange(to_status=S.COLLECTED, actor=actor, actor_name=actor_name(actor), at=at)
    opts = StatusChange._meta
    fields = [f for f in opts.concrete_fields if f is not opts.pk]
    columns = [
        [device.pk for device in devices]
        if f.name == "device"
        else [f.pre_save(template, True)] * len(devices)
        for f in fields
    ]
    insert_rows(connection, StatusChange, fields, columns, returning=False)


def import_devices(*, donation, content, filename, actor, dry_run=False):
    """Import a donor's inventory file into ``donation``: every row or none.

    With ``dry_run`` nothing is written and the result previews the devices. Any problem
    (unreadable file, bad value, duplicate serial) rejects the whole file with each
    problem listed by row number and field.
    """
    parsed = read_device_file(content, filename)
    errors = list(parsed.errors)
    devices = []
    try:
        devices = validate_import_rows(donation, parsed.rows)
    except ImportRejected as exc:
        errors.extend(exc.errors)
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: (e["row"], e["field"])))
    if dry_run:
        return ImportResult(devices=devices, ignored_columns=parsed.ignored_columns, committed=False)
    with transaction.atomic():
        now = timezone.now()
        for device, tag in zip(devices, next_asset_tags(len(devices)), strict=True):
            device.asset_tag = tag
            device.status_changed_at = now
        try:
            with transaction.atomic():
                created = bulk_create_audited(Device, devices, actor=actor, reason=_("Imported from a file"))
        except IntegrityError as exc:
            # A serial number taken by someone else between the check and the insert.
            raise ConflictError(
                _("Another device was recorded meanwhile with one of these serial numbers.")
            ) from exc
        _insert_collected_moves(created, actor=actor, at=now)
    return ImportResult(devices=created, ignored_columns=parsed.ignored_columns, committed=True)


@transaction.atomic
def update_device(device, *, actor, **fields):
    """Change a device's facts. Its tag and status are not facts one edits.

    The row is locked and read again, and only the facts given are written: a move or a
    reservation made meanwhile is neither undone by the edit nor missed by its checks.
    Returns the device as saved."""
    for name in ("asset_tag", "status", "status_changed_at", "donation"):
        if name in fields:
            raise DomainError(_("This field cannot be changed here."), code="read_only", field=name)
    device = Device.objects.select_for_update().get(pk=device.pk)
    for name, value in fields.items():
        setattr(device, name, value)
    device.full_clean(exclude=["asset_tag"], validate_constraints=False)
    _check_serials_free([device.serial_number], exclude_pk=device.pk)
    if device.status in CLEARED_FOR_HANDOVER:
        _check_ready_to_hand_over(device, editing=True)
    with_actor(device, actor).save(update_fields=list(fields))
    return device


@transaction.atomic
def record_intervention(device, *, actor, **fields):
    intervention = Intervention(
        device=device, performed_by=actor, performed_by_name=actor_name(actor), **fields
    )
    intervention.full_clean()
    with_actor(intervention, actor).save()
    return intervention


@transaction.atomic
def record_erasure(device, *, actor, **fields):
    """Record the wiping (or destruction) of one drive of ``device``."""
    if not device.has_storage:
        raise DomainError(
            _("This device has no storage drive recorded: set its storage size before recording an erasure."),
            code="no_storage",
        )
    erasure = Erasure(device=device, operator=actor, operator_name=actor_name(actor), **fields)
    erasure.full_clean()
    with_actor(erasure, actor).save()
    return erasure


@transaction.atomic
def create_donor(*, actor, **fields):
    donor = Donor(**fields)
    donor.full_clean()
    with_actor(donor, actor).save()
    return donor


@transaction.atomic
def update_donor(donor, *, actor, **fields):
    for name, value in fields.items():
        setattr(donor, name, value)
    donor.full_clean()
    with_actor(donor, actor).save()
    return donor


@transaction.atomic
def create_donation(*, actor, donor, structure=None, received_by=None, **fields):
    """Record a batch received from ``donor``; by default received by ``actor`` for their structure."""
    structure = structure or getattr(actor, "structure", None)
    if structure is None:
        raise DomainError(_("Choose the structure that received the donation."), field="structure")
    donation = Donation(donor=donor, structure=structure, received_by=received_by or actor, **fields)
    donation.full_clean()
    with_actor(donation, actor).save()
    return donation


@transaction.atomic
def update_donation(donation, *, actor, **fields):
    for name, value in fields.items():
        setattr(donation, name, value)
    donation.full_clean()
    with_actor(donation, actor).save()
    return donation
