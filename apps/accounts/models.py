from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from apps.core.history import audited_history

from .access import load_access
from .choices import Role, StructureKind


class Structure(models.Model):
    """A partner organisation whose staff use the software (régie, médiathèque, ...)."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=StructureKind.choices)
    city = models.CharField(_("city"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = audited_history()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner structure")
        verbose_name_plural = _("partner structures")
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                name="structure_unique_name",
                violation_error_message=_("A structure with this name already exists."),
            ),
        ]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A member of staff of a partner structure. The role is the user's group."""

    structure = models.ForeignKey(
        Structure,
        verbose_name=_("structure"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    @cached_property
    def role_names(self):
        return load_access(self)

    def _with_access_loaded(self, obj):
        # Permissions and roles in one query, before Django's ModelBackend reads them in two
        # (and the menu the role in a third); it then finds its caches filled.
        if obj is None and self.is_active and not self.is_superuser and not hasattr(self, "_perm_cache"):
            self.role_names  # noqa: B018 - read for what it fills in

    def has_perm(self, perm, obj=None):
        self._with_access_loaded(obj)
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        self._with_access_loaded(None)
        return super().has_module_perms(app_label)

    @property
    def role(self):
        """The user's role, or ``None``; a user holds one role in practice."""
        for role in (Role.COORDINATOR, Role.TRAINER, Role.TECHNICIAN):
            if role.value in self.role_names:
                return role
        return None

    def has_role(self, role):
        return Role(role).value in self.role_names

    @property
    def is_coordinator(self):
        return self.is_superuser or self.has_role(Role.COORDINATOR)

    def get_absolute_url(self):
        return reverse("admin:accounts_user_change", args=[self.pk])
