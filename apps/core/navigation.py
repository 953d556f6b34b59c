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
