"""Bounds on the moments people type: a date mistyped by centuries is refused with a message.

A moment in year 1 crashed the save (the time zone cannot move it before year 1); one in
year 9999 was stored, and an intervention dated eight thousand years ahead then sat at the
top of the device's timeline.
"""

from datetime import UTC, date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

EARLIEST_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_MOMENT = datetime(2100, 1, 1, tzinfo=UTC)
# A clock a few minutes ahead of the server's is still "now".
FUTURE_TOLERANCE = timedelta(minutes=5)


def plausible_moment(value):
    """Between 2000 and 2100: the programme's records, and the sessions planned ahead."""
    if value is None:
        return
    if not EARLIEST_MOMENT <= value < LATEST_MOMENT:
        raise ValidationError(
            _("Give a date between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST_MOMENT.year, "latest": LATEST_MOMENT.year - 1},
            code="implausible_date",
        )


def plausible_date(value):
    """A day between 2000 and 2099: a course, a donation, a loan's return, a contact."""
    if value is None:
        return
    if not EARLIEST_MOMENT.date() <= value < LATEST_MOMENT.date():
        raise ValidationError(
            _("Give a date between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST_MOMENT.year, "latest": LATEST_MOMENT.year - 1},
            code="implausible_date",
        )


def not_in_the_future(value):
    """What has been done (an intervention, a consent; a donation received, a household
    contacted, for a day) is not dated ahead."""
    if isinstance(value, datetime):
        if not EARLIEST_MOMENT <= value < LATEST_MOMENT:
            return  # plausible_moment says what is wrong
        if value > timezone.now() + FUTURE_TOLERANCE:
            shown = date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
            raise ValidationError(
                _("This is in the future (%(moment)s): give when it happened.") % {"moment": shown},
                code="future",
            )
    elif isinstance(value, date) and value > timezone.localdate():
        raise ValidationError(
            _("This is in the future (%(moment)s): give when it happened.")
            % {"moment": date_format(value, "SHORT_DATE_FORMAT")},
            code="future",
        )
