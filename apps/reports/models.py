from django.db import models
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """No table: holds the permission to see the funders' figures and the audit history.

    The figures are computed from the other apps' records (``selectors.report_figures``);
    nothing of their own is stored, so this model only gives ``reports.view_report`` a home
    that the role matrix (``apps.accounts.roles``) can grant like any other permission.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_report", _("Can see the reports, their exports and the audit history"))]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self):
        return str(self._meta.verbose_name)
