"""Bounds on the moments people type: a date mistyped by centuries is refused with a message.

A moment in year 1 crashed the save (the time zone cannot move it before year 1); one in
year 9999 was stored, and an intervention dated eight thousand years ahead then sat at the
top of the device's timeline.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

FIRST_YEAR, LAST_YEAR = 2000, 2099
# A clock a few minutes ahead of the server's is still "now".
FUTURE_TOLERANCE = timedelta(minutes=5)


def _refused_as_implausible():
    return ValidationError(
        _("Give a date between %(earliest)s and %(latest)s.") % {"earliest": FIRST_YEAR, "latest": LAST_YEAR},
        code="implausible_date",
    )


def _aware(value):
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _within_the_years(moment):
    # Local years, as the message says them: 1 January 2000 at 00:30 in Paris is in 2000.
    earliest = timezone.make_aware(datetime(FIRST_YEAR, 1, 1))
    return earliest <= moment < timezone.make_aware(datetime(LAST_YEAR + 1, 1, 1))


def plausible_moment(value):
    """Between 2000 and 2099: the programme's records, and the sessions planned ahead."""
    if value is not None and not _within_the_years(_aware(value)):
        raise _refused_as_implausible()


def plausible_date(value):
    """A day between 2000 and 2099: a course, a donation, a loan's return, a contact."""
    if value is not None and not date(FIRST_YEAR, 1, 1) <= value <= date(LAST_YEAR, 12, 31):
        raise _refused_as_implausible()


def not_in_the_future(value):
    """What has been done (an intervention, a consent; a donation received, a household
    contacted, for a day) is not dated ahead."""
    if isinstance(value, datetime):
        value = _aware(value)
        if not _within_the_years(value):
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
