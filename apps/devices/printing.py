"""Device labels: which devices a print request means, and their PDF (or PNG).

The screens, the API and the ``print_labels`` command all call ``print_labels()``, so a
request is understood, refused and rendered the same way everywhere. Drawing is left to
the Django-free ``labels`` package; this module only turns devices into ``LabelData``
and requests into devices.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from apps.core.exceptions import DomainError
from apps.core.ids import parse_id
from labels import LAYOUTS, MAX_LABELS_PER_REQUEST, LabelData, LabelError, render_pdf, render_png

from .filtersets import DeviceFilterSet, normalise_tag
from .models import Device, Donation

PROGRAMME_NAME = "Ordi-pratique"
DEFAULT_LAYOUT = "L7160"
PNG_DPI = 300  # Brother QL and Dymo LabelWriter heads are 300 dpi.


class LabelFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    PNG = "png", "PNG"


# ``labels`` knows nothing of Django, so its layout descriptions are marked for translation
# here and translated by msgid when shown (a test checks this list matches the package).
LAYOUT_DESCRIPTIONS = [
    gettext_noop("Avery L7160, A4 sheet of 21 labels (3 × 7), 63.5 × 38.1 mm"),
    gettext_noop("Avery L7163, A4 sheet of 14 labels (2 × 7), 99.1 × 38.1 mm"),
    gettext_noop("Avery L7651, A4 sheet of 65 labels (5 × 13), 38.1 × 21.2 mm, QR code and tag only"),
    gettext_noop("Brother QL, 62 mm continuous roll cut at 29 mm, one label per page"),
    gettext_noop("Dymo 99012 address label, 89 × 36 mm, one label per page"),
]

# The filters of the device list a print request may use (``DeviceFilterSet``'s).
FILTER_NAMES = tuple(DeviceFilterSet.base_filters)


@dataclass(frozen=True)
class LabelFile:
    """A rendered print request, ready to be sent or written."""

    content: bytes
    content_type: str
    filename: str
    count: int  # labels printed
    pages: int


@dataclass(frozen=True)
class Selection:
    """The devices a print request names, in label order, and a short name for the file."""

    devices: list
    name: str


def layout_choices():
    """(name, translated description) of every layout, for forms and the API schema."""
    return [(name, _(layout.description)) for name, layout in LAYOUTS.items()]


def device_url(asset_tag):
    """The address printed in the QR code: ``SITE_URL/d/<tag>``, which opens the device."""
    return settings.SITE_URL + reverse("devices:device_short", args=[asset_tag])


def label_for(device):
    """What the label of ``device`` says.

    A label stays on the device for life, so it only carries what never changes: the tag,
    what the device is, and the receipt number of the donation it came with (which holds
    the year). Not the donor's name: it may be a private person's, and the device goes on
    to a family. The number alone also fits the smallest layout.
    """
    return LabelData(
        asset_tag=device.asset_tag,
        url=device_url(device.asset_tag),
        title=device.title,
        subtitle=_("Donation %(number)s") % {"number": device.donation.number},
        programme=PROGRAMME_NAME,
    )


def check_layout(name):
    """The ``Layout`` called ``name``; a ``DomainError`` listing the known ones otherwise."""
    layout = LAYOUTS.get(name) if isinstance(name, str) else None
    if layout is None:
        raise DomainError(
            _("Unknown label layout “%(layout)s”. Choose one of: %(layouts)s.")
            % {"layout": name, "layouts": ", ".join(LAYOUTS)},
            code="unknown_layout",
            field="layout",
        )
    return layout


def check_start_position(layout, start_position):
    per_page = layout.labels_per_page
    if (
        isinstance(start_position, int)
        and not isinstance(start_position, bool)
        and 1 <= start_position <= per_page
    ):
        return
    if per_page == 1:
        message = _("On %(layout)s each label is printed on its own: leave the start position at 1.")
    else:
        message = _(
            "The start position must be a number from 1 to %(count)d: a sheet of %(layout)s has %(count)d labels."
        )
    raise DomainError(
        message % {"layout": layout.name, "count": per_page},
        code="bad_start_position",
        field="start_position",
    )


def parse_tags(text):
    """Asset tags typed or scanned into one box: separated by spaces, commas or new lines."""
    return [normalise_tag(part) for part in re.split(r"[\s,;]+", text or "") if part.strip()]


def _too_many(count, field):
    return DomainError(
        _(
            "%(count)d labels is too many for one request: the maximum is %(max)d. Narrow the list or print it in parts."
        )
        % {"count": count, "max": MAX_LABELS_PER_REQUEST},
        code="too_many_labels",
        field=field,
    )


def _no_devices(message, field):
    return DomainError(message, code="no_devices", field=field)


def _filter_data(filters):
    """A ``QueryDict`` of the device list filters, from a query string, a QueryDict or a dict."""
    if isinstance(filters, QueryDict):
        data = filters.copy()
    elif isinstance(filters, str):
        data = QueryDict(filters.lstrip("?"), mutable=True)
    elif isinstance(filters, dict):
        data = QueryDict(mutable=True)
        for name, value in filters.items():
            values = value if isinstance(value, list | tuple) else [value]
            data.setlist(str(name), ["" if item is None else str(item) for item in values])
    else:
        raise DomainError(
            _("The filters must be a set of names and values."), code="bad_filters", field="filters"
        )
    for name in ("page", "page_size"):  # the list's own paging, not a filter
        data.pop(name, None)
    unknown = sorted(set(data) - set(FILTER_NAMES))
    if unknown:
        # A misspelt filter would silently print the whole list.
        raise DomainError(
            _("Unknown filter “%(name)s”. The filters are: %(names)s.")
            % {"name": unknown[0], "names": ", ".join(FILTER_NAMES)},
            code="bad_filters",
            field="filters",
        )
    return data


def _bounded(queryset, field, empty_message):
    count = queryset.count()
    if count > MAX_LABELS_PER_REQUEST:
        raise _too_many(count, field)
    if not count:
        raise _no_devices(empty_message, field)
    return list(queryset)


def _devices():
    # ``label_for`` reads the donation's number; the tag order is the label order.
    return Device.objects.select_related("donation").order_by("asset_tag")


def select_devices(*, device_ids=None, asset_tags=None, donation=None, filters=None):
    """The devices of a print request, ordered by asset tag.

    Exactly one way of naming them: ``device_ids`` or ``asset_tags`` (an explicit selection,
    one label per device), ``donation`` (a ``Donation`` or its id: all its devices) or
    ``filters`` (the device list's filters, as a query string, ``QueryDict`` or dict; empty
    means the whole list). Raises ``DomainError`` when that names no device, a device that
    does not exist, or more than ``MAX_LABELS_PER_REQUEST``.
    """
    given = {
        name: value
        for name, value in (
            ("devices", device_ids),
            ("asset_tags", asset_tags),
            ("donation", donation),
            ("filters", filters),
        )
        if value is not None
    }
    if len(given) > 1:
        raise DomainError(
            _("Choose the devices in one way only: %(ways)s.") % {"ways": ", ".join(given)},
            code="ambiguous_selection",
            field=None,
        )
    if not given:
        raise _no_devices(
            _("No device chosen: give asset tags, a donation or the filters of the device list."), None
        )

    if device_ids is not None:
        return _explicit_selection(device_ids, "devices", "pk", _device_id)
    if asset_tags is not None:
        return _explicit_selection(asset_tags, "asset_tags", "asset_tag", normalise_tag)
    if donation is not None:
        if not isinstance(donation, Donation):
            donation_id = parse_id(donation)
            donation = Donation.objects.filter(pk=donation_id).first() if donation_id else None
            if donation is None:
                raise DomainError(
                    _("This donation does not exist."), code="unknown_donation", field="donation"
                )
        devices = _bounded(
            _devices().filter(donation=donation),
            "donation",
            _("Donation %(number)s has no device yet.") % {"number": donation.number},
        )
        return Selection(devices, f"don-{donation.number}")

    data = _filter_data(filters)
    filterset = DeviceFilterSet(data, queryset=_devices())
    if not filterset.is_valid():
        problems = "; ".join(
            f"{filterset.form.fields[name].label if name in filterset.form.fields else name}: {' '.join(errors)}"
            for name, errors in filterset.errors.items()
        )
        raise DomainError(
            _("These filters cannot be used: %(problems)s") % {"problems": problems},
            code="bad_filters",
            field="filters",
        )
    devices = _bounded(filterset.qs.order_by("asset_tag"), "filters", _("No device matches these filters."))
    return Selection(devices, "liste")


def _device_id(value):
    number = parse_id(value)
    if number is None:
        raise ValueError(value)
    return number


def _explicit_selection(values, field, key, clean):
    if isinstance(values, str | bytes) or not hasattr(values, "__iter__"):
        raise DomainError(_("Give a list."), code="invalid", field=field)
    try:
        wanted = list(dict.fromkeys(clean(value) for value in values))
    except (TypeError, ValueError):
        raise DomainError(_("Give a list of device ids."), code="invalid", field=field) from None
    if not wanted:
        raise _no_devices(_("No device chosen: give at least one asset tag or device."), field)
    if len(wanted) > MAX_LABELS_PER_REQUEST:
        raise _too_many(len(wanted), field)
    devices = list(_devices().filter(**{f"{key}__in": wanted}))
    missing = set(wanted) - {getattr(device, key) for device in devices}
    if missing:
        unknown = ", ".join(str(value) for value in wanted if value in missing)
        if key == "asset_tag":
            message = ngettext(
                "No device has this asset tag: %(unknown)s.",
                "No device has these asset tags: %(unknown)s.",
                len(missing),
            )
        else:
            message = ngettext("Unknown device: %(unknown)s.", "Unknown devices: %(unknown)s.", len(missing))
        raise DomainError(message % {"unknown": unknown}, code="unknown_device", field=field)
    name = devices[0].asset_tag if len(devices) == 1 else "selection"
    return Selection(devices, name)


def render_labels(selection, *, layout, start_position=1, output_format=LabelFormat.PDF):
    """The labels of ``selection`` (a ``Selection``) as a ``LabelFile``; see ``print_labels``."""
    layout = check_layout(layout)
    if output_format not in LabelFormat.values:
        raise DomainError(
            _("Unknown format “%(format)s”: choose pdf or png.") % {"format": output_format},
            code="bad_format",
            field="format",
        )
    check_start_position(layout, start_position)
    devices = selection.devices
    if output_format == LabelFormat.PNG and len(devices) != 1:
        raise DomainError(
            _("A PNG holds one label: choose one device, or the PDF for %(count)d labels.")
            % {"count": len(devices)},
            code="png_needs_one_device",
            field="format",
        )
    if len(devices) > MAX_LABELS_PER_REQUEST:
        raise _too_many(len(devices), None)
    labels = [label_for(device) for device in devices]
    try:
        if output_format == LabelFormat.PNG:
            content, content_type, pages = render_png(labels[0], layout, dpi=PNG_DPI), "image/png", 1
        else:
            content, content_type = (
                render_pdf(labels, layout, start_position=start_position),
                "application/pdf",
            )
            pages = -(-(start_position - 1 + len(labels)) // layout.labels_per_page)
    except LabelError as exc:
        # What only drawing can tell, such as a tag too long for a small layout.
        raise DomainError(str(exc), code="cannot_print", field="layout") from exc
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", selection.name).strip("-") or "labels"
    return LabelFile(
        content=content,
        content_type=content_type,
        filename=f"etiquettes-{name}-{layout.name}.{output_format}",
        count=len(labels),
        pages=pages,
    )


def print_labels(
    *,
    layout,
    start_position=1,
    output_format=LabelFormat.PDF,
    device_ids=None,
    asset_tags=None,
    donation=None,
    filters=None,
):
    """Render the labels of a print request: one path for the screens, the API and the command.

    ``layout`` is a layout name (see ``labels.LAYOUTS``); ``start_position`` the first free
    slot of a partly used sheet (1 = top left); ``output_format`` ``"pdf"`` (any number of
    labels) or ``"png"`` (one label, for label printers). The devices are named as in
    ``select_devices``. Returns a ``LabelFile``; raises ``DomainError`` (with the input at
    fault in ``field``) for a request that cannot be printed, before anything is rendered.
    """
    layout = check_layout(layout)
    check_start_position(layout, start_position)
    selection = select_devices(
        device_ids=device_ids, asset_tags=asset_tags, donation=donation, filters=filters
    )
    return render_labels(
        selection, layout=layout.name, start_position=start_position, output_format=output_format
    )
