"""Date arithmetic that the database does itself, for the report's averages.

Django computes ``TruncDate(at)`` and a difference of two moments on SQLite through Python
functions it registers on the connection: one Python call per row and per function. Over a
year of moves at the scale of a metropolis (tens of thousands of rows) those calls were most
of the dashboard's time. These expressions give the same answers with SQLite's own
``date()`` and ``julianday()``, and with PostgreSQL's native arithmetic.
"""

from datetime import UTC, datetime, time, timedelta

from django.db.models import Case, DateField, F, FloatField, Func, Value, When
from django.db.models.functions import TruncDate
from django.db.models.lookups import LessThan
from django.utils import timezone


class DaysBetween(Func):
    """``later - earlier`` in days (a float), for two dates or two moments."""

    arity = 2
    output_field = FloatField()
    template = None  # written per database below

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="(julianday(%(later)s) - julianday(%(earlier)s))", **extra
        )

    def as_postgresql(self, compiler, connection, **extra):
        # date - date is a number of days; a difference of moments is an interval.
        return self.as_sql(
            compiler,
            connection,
            template="(EXTRACT(EPOCH FROM (%(later)s)::timestamptz - (%(earlier)s)::timestamptz) / 86400.0)",
            **extra,
        )

    def as_sql(self, compiler, connection, template=None, **extra):
        later, earlier = (compiler.compile(expression) for expression in self.get_source_expressions())
        template = template or self.template
        if template is None:
            raise NotImplementedError(f"DaysBetween is not written for {connection.vendor}")
        sql = template % {"later": later[0], "earlier": earlier[0]}
        return sql, (*later[1], *earlier[1])


def local_date(field, period):
    """The date of the moment ``field`` in the current time zone, for rows within ``period``.

    On SQLite, moments are stored in UTC: the local date is the UTC moment shifted by the
    zone's offset, which changes at most at a few known instants in a period (summer time).
    Those instants are found here, once, so each row costs a comparison and ``date()``.
    """
    return _LocalDate(F(field), period=period)


class _LocalDate(Func):
    output_field = DateField()

    def __init__(self, expression, *, period):
        super().__init__(expression)
        self.period = period

    def as_sql(self, compiler, connection, **extra):
        truncated = TruncDate(self.source_expressions[0]).resolve_expression(compiler.query)
        return compiler.compile(truncated)

    def as_sqlite(self, compiler, connection, **extra):
        moment = self.source_expressions[0]
        segments = _offset_segments(self.period)

        def shifted(minutes):
            return Func(moment, Value(f"{minutes:+d} minutes"), function="date", output_field=DateField())

        *changes, (_end, last_offset) = segments
        expression = Case(
            *(When(LessThan(moment, until), then=shifted(minutes)) for until, minutes in changes),
            default=shifted(last_offset),
            output_field=DateField(),
        )
        return compiler.compile(expression.resolve_expression(compiler.query))


def _offset_segments(period):
    """``[(until, offset in minutes), ...]``: the zone's UTC offset over ``period``, in
    segments ending at the moment each one stops applying (``None`` for the last)."""
    zone = timezone.get_current_timezone()

    def offset(moment):
        return int(moment.astimezone(zone).utcoffset().total_seconds() // 60)

    def midnight(day):
        return timezone.make_aware(datetime.combine(day, time.min), zone).astimezone(UTC)

    segments = []
    day, current = period.start, offset(midnight(period.start))
    while day <= period.end:
        following = offset(midnight(day + timedelta(days=1)))
        if following != current:
            # The change happens within this day; zones change on a quarter hour at worst.
            moment = midnight(day)
            while offset(moment) == current:
                moment += timedelta(minutes=15)
            segments.append((moment, current))
            current = following
        day += timedelta(days=1)
    segments.append((None, current))
    return segments
