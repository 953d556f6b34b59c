"""The main menu. Each entry appears to the users whose role grants its permission, so the
menu follows the permission matrix in ``apps.accounts.roles`` rather than role names."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str
    description: str = ""

    @property
    def url(self):
        return reverse(self.url_name)


NAV_ITEMS = [
    NavItem(
        _("Devices"),
        "devices:device_list",
        "devices.view_device",
        _("Find a device, follow its reconditioning, move it to its next step."),
    ),
    NavItem(
        _("Donations"),
        "devices:donation_list",
        "devices.view_donation",
        _("Record a donation batch, log its devices, print the donor's receipt."),
    ),
    NavItem(
        _("Courses"),
        "training:course_list",
        "training.view_course",
        _("Create a course and its sessions, enrol households, take attendance."),
    ),
    NavItem(
        _("Households"),
        "households:household_list",
        "households.view_household",
        _("Register a household referred by a partner, see its courses."),
    ),
    NavItem(
        _("Neighbourhoods"),
        "households:neighbourhood_list",
        "households.change_neighbourhood",
        _("The neighbourhoods households live in, and which are priority areas (QPV)."),
    ),
    NavItem(
        _("Allocations"),
        "allocations:allocation_list",
        "allocations.view_allocation",
        _("Reserve devices for a household, hand them over, follow them up."),
    ),
    NavItem(
        _("Reports"),
        "reports:dashboard",
        "reports.view_report",
        _("The funders' figures for any period and structure, with exports and the activity report."),
    ),
    NavItem(
        _("History"),
        "reports:history",
        "reports.view_report",
        _("Who changed what, and when: every change to devices, households, courses and allocations."),
    ),
    NavItem(
        _("Settings"),
        "admin:index",
        "accounts.change_structure",
        _("Partner structures, users and roles."),
    ),
]


def items_for(user):
    if not user.is_authenticated:
        return []
    return [item for item in NAV_ITEMS if user.has_perm(item.permission)]
