"""The agreement signed at hand-over (convention de don / de prêt)."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.core import pdf
from apps.core.pdf import Spacer, mm

from .choices import AllocationKind


def agreement_pdf(allocation):
    st = pdf.styles()
    household = allocation.household
    course = allocation.enrolment.course
    devices = [
        item.device for item in allocation.items.select_related("device").order_by("device__asset_tag")
    ]
    is_loan = allocation.kind == AllocationKind.LOAN
    title = _("Loan agreement") if is_loan else _("Gift agreement")
    handed_over = allocation.handed_over_at or allocation.reserved_at

    if is_loan:
        conditions = [
            _("The devices remain the property of %(structure)s and are lent free of charge until %(due)s.")
            % {"structure": allocation.structure, "due": date_format(allocation.due_on, "DATE_FORMAT")},
            _("The household keeps them in good condition, does not sell or lend them, and brings them back "
              "on the due date, or earlier if it no longer needs them. The loan may be turned into a gift."),
        ]  # fmt: skip
    else:
        conditions = [
            _("%(structure)s gives the devices free of charge to the household, which becomes their owner.")
            % {"structure": allocation.structure},
            _("The household undertakes not to sell them. When it no longer needs them, it may bring them back "
              "so that they serve another family."),
        ]  # fmt: skip
    conditions += [
        _("The storage drives have been wiped with a certified method; the operating system is freshly installed."),
        _("A member of the programme will call the household a few months after the hand-over to ask how it is going."),
        _("Personal data: the programme keeps only what it needs to follow the hand-over, for a limited time, "
          "and the household may ask to see or erase it."),
    ]  # fmt: skip

    story = [
        pdf.para(title, st["title"]),
        pdf.para(_("Allocation no. %(number)s") % {"number": allocation.number}, st["h2"]),
        pdf.facts_table(
            [
                (_("Household"), household.contact_name),
                (
                    _("Address"),
                    ", ".join(filter(None, [household.address, str(household.neighbourhood or "")])) or "—",
                ),
                (_("Phone"), household.phone or "—"),
                (_("Course"), f"{course.title} ({course.structure})"),
                (_("Hand-over date"), date_format(timezone.localtime(handed_over), "DATE_FORMAT")),
            ]
        ),
        Spacer(1, 4 * mm),
        pdf.para(_("Devices"), st["h2"]),
        pdf.data_table(
            [_("Asset tag"), _("Device"), _("Serial number")],
            [[d.asset_tag, d.title, d.serial_number or "—"] for d in devices],
            col_widths=[30 * mm, 90 * mm, 60 * mm],
        ),
        Spacer(1, 4 * mm),
        pdf.para(_("Conditions"), st["h2"]),
        *[pdf.para(f"• {text}", st["body"]) for text in conditions],
        Spacer(1, 10 * mm),
        pdf.signature_blocks(
            [
                _("For the household: name, date, signature"),
                _("For %(structure)s: name, date, signature") % {"structure": allocation.structure},
            ]
        ),
    ]
    return pdf.render(story, title=f"{title} {allocation.number}", footer_text=f"{title} {allocation.number}")
