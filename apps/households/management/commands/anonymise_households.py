"""Anonymise the households past the retention period (``HOUSEHOLD_RETENTION_MONTHS``).

Run it daily from cron; it is idempotent. ``--dry-run`` lists them and changes nothing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from apps.households import privacy


class Command(BaseCommand):
    help = "Anonymise the households whose last activity is older than HOUSEHOLD_RETENTION_MONTHS."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List them, change nothing.")

    def handle(self, *args, dry_run=False, **options):
        # No person runs it: the actor is none and the reason, recorded in history, is "retention".
        households = privacy.anonymise_past_retention(actor=None, dry_run=dry_run)
        for household in households:
            self.stdout.write(
                f"{household.pk}\tlast activity {privacy.last_activity(household)}\t{household.structure}"
            )
        verb = "would be anonymised" if dry_run else "anonymised"
        self.stdout.write(
            f"{len(households)} household(s) {verb} "
            f"(retention {settings.HOUSEHOLD_RETENTION_MONTHS} months, cut-off {privacy.retention_cutoff()})."
        )
