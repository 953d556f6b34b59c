from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = _("Accounts and partner structures")

    def ready(self):
        from .roles import sync_roles_after_migrate

        # Permissions of every app exist only once its own post_migrate has run, so the
        # role groups are brought up to date after each app's migration, idempotently.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="accounts.sync_roles")
