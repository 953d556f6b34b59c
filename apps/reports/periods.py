"""The period a report covers: two dates, both included, read in the programme's time zone.

A hand-over at 23:30 on the last day counts, one at 00:30 the next day does not, whatever
the database stores (UTC): every bound is local midnight made aware in ``TIME_ZONE``.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Far enough for any funding report, near enough that a typo (year 20266) is refused and the
# monthly table stays short.
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
MAX_DAYS = 10 * 366


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def starts_at(self):
        """Local midnight at the start of the first day."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def ends_before(self):
        """Local midnight after the last day: the first instant outside the period."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def moments(self, field):
        """``Q`` for a date-time ``field`` within the period."""
        return Q(**{f"{field}__gte": self.starts_at, f"{field}__lt": self.ends_before})

    def days(self, field):
        """``Q`` for a date ``field`` within the period."""
        return Q(**{f"{field}__gte": self.start, f"{field}__lte": self.end})

    def months(self):
        """The first day of every month the period touches, in order."""
        months = []
        current = self.start.replace(day=1)
        while current <= self.end:
            months.append(current)
            current = (current + timedelta(days=32)).replace(day=1)
        return months

    def __str__(self):
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


def period_errors(start, end, *, max_days=MAX_DAYS):
    """What is wrong with ``start``/``end`` as a period, by field (empty when nothing is)."""
    errors = {}
    for name, value in (("start", start), ("end", end)):
        if value is not None and not EARLIEST <= value <= LATEST:
            errors[name] = _("Choose a date between %(earliest)s and %(latest)s.") % {
                "earliest": EARLIEST.isoformat(),
                "latest": LATEST.isoformat(),
            }
    if errors or start is None or end is None:
        return errors
    if end < start:
        errors["end"] = _("The end of the period cannot be before its start.")
    elif max_days is not None and (end - start).days > max_days:
        errors["end"] = _("Choose a period of at most ten years.")
    return errors


def year_to_date(today=None):
    today = today or timezone.localdate()
    return Period(today.replace(month=1, day=1), today)


def quick_periods(today=None):
    """The periods a coordinator asks for most: ``(label, Period)`` pairs."""
    today = today or timezone.localdate()
    month_start = today.replace(day=1)
    last_month_end = month_start - timedelta(days=1)
    return [
        (_("This month"), Period(month_start, today)),
        (_("Last month"), Period(last_month_end.replace(day=1), last_month_end)),
        (_("This year"), year_to_date(today)),
        (_("Last year"), Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))),
    ]
