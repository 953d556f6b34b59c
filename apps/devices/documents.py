"""The donation receipt (attestation de don), as a PDF for the donor."""

from collections import defaultdict

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from apps.core import pdf
from apps.core.pdf import Spacer, mm

from . import selectors
from .choices import ErasureMethod, ErasureResult


def _erasure_text(device, erasures):
    if not device.storage_gb:
        return _("No storage drive") if device.storage_gb == 0 else _("Storage not yet checked")
    if not erasures:
        return _("Erasure pending")
    lines = []
    for erasure in erasures:
        if erasure.method == ErasureMethod.DESTRUCTION:
            what = _("Drive %(serial)s physically destroyed") % {"serial": erasure.drive_serial}
        else:
            what = _("Drive %(serial)s: %(method)s") % {
                "serial": erasure.drive_serial,
                "method": erasure.get_method_display(),
            }
            details = ", ".join(part for part in (erasure.standard, erasure.tool) if part)
            if details:
                what += f" ({details})"
        result = _("passed") if erasure.result == ErasureResult.PASSED else _("FAILED")
        lines.append(
            f"{what} — {result}, {date_format(timezone.localtime(erasure.performed_at), 'SHORT_DATE_FORMAT')}"
        )
    return "\n".join(lines)


def donation_receipt_pdf(donation):
    st = pdf.styles()
    devices = list(selectors.donation_devices(donation))
    erasures_by_device = defaultdict(list)
    for erasure in selectors.donation_erasures(donation):
        erasures_by_device[erasure.device_id].append(erasure)
    donor = donation.donor
    total_weight = sum((d.weight_kg for d in devices if d.weight_kg is not None), start=0)

    story = [
        pdf.para(_("Donation receipt"), st["title"]),
        pdf.para(_("Receipt no. %(number)s") % {"number": donation.number}, st["h2"]),
        pdf.facts_table(
            [
                (_("Donor"), f"{donor.name} ({donor.get_kind_display()})"),
                (_("Address"), donor.address or "—"),
                (_("SIRET number"), donor.siret or "—"),
                (_("Received on"), date_format(donation.received_on, "DATE_FORMAT")),
                (_("Collection site"), donation.site or "—"),
                (
                    _("Received by"),
                    f"{donation.structure}" + (f" — {donation.received_by}" if donation.received_by else ""),
                ),
            ]
        ),
        Spacer(1, 4 * mm),
        pdf.para(
            _(
                "%(structure)s acknowledges receiving free of charge the equipment listed below. "
                "Every storage drive is wiped with a certified method or physically destroyed before "
                "the equipment is given to a household; each drive's treatment is listed below."
            )
            % {"structure": donation.structure},
            st["body"],
        ),
        Spacer(1, 4 * mm),
        pdf.data_table(
            [_("Asset tag"), _("Device"), _("Serial number"), _("Data erasure")],
            [
                [d.asset_tag, d.title, d.serial_number or "—", _erasure_text(d, erasures_by_device[d.pk])]
                for d in devices
            ]
            or [["—", _("No device recorded yet"), "", ""]],
            col_widths=[27 * mm, 52 * mm, 34 * mm, 67 * mm],
        ),
        Spacer(1, 3 * mm),
        pdf.para(
            _("%(count)d device(s), total weight %(weight)s kg.")
            % {"count": len(devices), "weight": number_format(total_weight, 2)},
            st["body"],
        ),
        Spacer(1, 8 * mm),
        pdf.signature_blocks(
            [
                _("For %(structure)s: name, date, signature") % {"structure": donation.structure},
                _("For the donor: name, date, signature"),
            ]
        ),
    ]
    return pdf.render(
        story, title=_("Donation receipt %(number)s") % {"number": donation.number}, footer_text=str(donation)
    )
