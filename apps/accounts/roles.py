"""Who may do what: the role groups and their model permissions, in one place.

Scoping by structure (a trainer sees the households of their own structure's courses)
is applied on top of these permissions by each app's selectors.
"""

from django.db import DEFAULT_DB_ALIAS

from .choices import Role


def _crud(app_model, *actions):
    app_label, model = app_model.split(".")
    return [f"{app_label}.{action}_{model}" for action in actions]


VIEW = ("view",)
EDIT = ("view", "add", "change")
ALL = ("view", "add", "change", "delete")

ROLE_PERMISSIONS = {
    Role.TECHNICIAN: [
        *_crud("accounts.structure", *VIEW),
        *_crud("devices.donor", *EDIT),
        *_crud("devices.donation", *EDIT),
        *_crud("devices.device", *EDIT),
        "devices.change_device_status",
        *_crud("devices.intervention", "view", "add"),
        *_crud("devices.erasure", "view", "add"),
        # Which device went where, never to whom: the household is masked for them.
        *_crud("allocations.allocation", *VIEW),
        "allocations.view_all_allocations",
    ],
    Role.TRAINER: [
        *_crud("accounts.structure", *VIEW),
        # Trainers hand devices over: they read them, never change their technical record.
        *_crud("devices.device", *VIEW),
        # Records are closed or withdrawn, never deleted: no delete permission.
        *_crud("households.household", *EDIT),
        *_crud("households.neighbourhood", *VIEW),
        *_crud("training.course", *EDIT),
        *_crud("training.session", *EDIT),
        *_crud("training.enrolment", *EDIT),
        *_crud("training.attendance", *EDIT),
        *_crud("allocations.allocation", *EDIT),
        "allocations.hand_over_allocation",
        *_crud("allocations.followup", "view", "add"),
    ],
    Role.COORDINATOR: [
        *_crud("accounts.structure", *EDIT),
        *_crud("accounts.user", *EDIT),
        *_crud("auth.group", *VIEW),
        *_crud("authtoken.tokenproxy", *VIEW),
        *_crud("devices.donor", *VIEW),
        *_crud("devices.donation", *VIEW),
        *_crud("devices.device", *VIEW),
        *_crud("devices.intervention", *VIEW),
        *_crud("devices.erasure", *VIEW),
        # Every structure's households and courses, read-only; the neighbourhood list is theirs.
        *_crud("households.household", *VIEW),
        "households.view_all_households",
        # GDPR requests: a household's data exported, or erased (anonymised), on request.
        "households.export_household",
        "households.anonymise_household",
        *_crud("households.neighbourhood", *EDIT),
        *_crud("training.course", *VIEW),
        "training.view_all_courses",
        *_crud("training.session", *VIEW),
        *_crud("training.enrolment", *VIEW),
        *_crud("training.attendance", *VIEW),
        *_crud("allocations.allocation", *EDIT),
        "allocations.hand_over_allocation",
        "allocations.override_allocation_rule",
        "allocations.view_all_allocations",
        *_crud("allocations.followup", "view", "add"),
        # The funders' figures and the audit of who changed what.
        "reports.view_report",
    ],
}


def sync_role_groups(apps, using=DEFAULT_DB_ALIAS):
    """Create the role groups and give each exactly the permissions listed above.

    ``apps`` is the app registry (historical in a migration). Permissions of apps not yet
    migrated are skipped; the post_migrate hook adds them once they exist.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    all_codes = {code for codes in ROLE_PERMISSIONS.values() for code in codes}
    by_code = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using)
        .filter(codename__in={code.split(".")[1] for code in all_codes})
        .values_list("pk", "content_type__app_label", "codename")
    }
    for role, codes in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role.value)
        wanted = {by_code[code] for code in codes if code in by_code}
        current = set(group.permissions.values_list("pk", flat=True))
        if wanted != current:
            group.permissions.set(wanted)


def sync_roles_after_migrate(sender, using=DEFAULT_DB_ALIAS, apps=None, **kwargs):
    from django.apps import apps as global_apps

    sync_role_groups(global_apps, using=using)
