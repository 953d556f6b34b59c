"""Reads for the coordinator's reports: every figure of a period, and the raw hand-over list.

``report_figures()`` is the one place a figure is computed. It runs a fixed number of
aggregate queries (COUNT/SUM with ``filter=``, grouped by month or by category) whatever the
amount of data, and never loops over records in Python: what comes back is one row per
month, status, or combination of categories (neighbourhood × partner × gender × age).

The definitions, for a period (two dates included, Europe/Paris) and an optional structure:

- devices: a structure's own devices are those of the donations it received. *Collected*:
  devices whose donation was received in the period. *Made ready*, *handed over*,
  *returned*, *recycled*, *destroyed*, *lost*: moves into that status in the period, from
  the devices' status changes (a cancelled reservation back to ready is not "made ready").
  *kg diverted*: weight of the devices recycled or destroyed in the period. *kg reused*:
  weight of the devices handed over in the period. The stock is today's, by status.
- hand-overs: allocations handed over in the period; a structure's own are those it made.
- households (each counted once per line): *referred*, registered in the period (by the
  structure); *enrolled*, enrolled (not waiting, not withdrawn) in a course running during
  the period (of the structure); *completed*, those of them who met their course's rule;
  *equipped*, those with a hand-over in the period (by the structure).
- training: courses running during the period; sessions held in it; attendance rate =
  present / (every household enrolled in the course × every session held); completion
  rate = households completed / households enrolled.
- follow-ups: contacts made in the period about the structure's allocations.
"""

from collections import defaultdict
from datetime import datetime, time
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.allocations.choices import AllocationKind, AllocationStatus
from apps.allocations.models import Allocation, AllocationItem, FollowUp
from apps.devices.choices import DeviceStatus
from apps.devices.models import Device, StatusChange
from apps.households.choices import AgeBracket, Gender, ReferredBy
from apps.households.models import Household
from apps.training.choices import EnrolmentStatus
from apps.training.models import Attendance, Course, Enrolment, Session, start_of_tomorrow
from apps.training.selectors import with_progress

from .expressions import DaysBetween, local_date
from .figures import (
    ZERO_KG,
    Breakdown,
    DeviceFigures,
    FollowUpFigures,
    HandoverFigures,
    HouseholdFigures,
    MonthFlow,
    Report,
    Stages,
    StockLine,
    TrainingFigures,
)

S = DeviceStatus
# Into "ready" from reconditioning; ready again after a cancelled reservation is no new work.
MADE_READY = Q(to_status=S.READY) & ~Q(from_status=S.RESERVED)
COUNTED_MOVES = [S.ALLOCATED, S.RETURNED, S.RECYCLED, S.DESTROYED, S.LOST]
WEIGHED_MOVES = [S.ALLOCATED, S.RECYCLED, S.DESTROYED]  # kg reused, kg diverted


def report_figures(*, period, structure=None):
    """Every figure of the report for ``period`` (a ``periods.Period``) and ``structure``
    (``None`` for the whole programme). See the module docstring for the definitions."""
    devices, flows = _devices_and_flows(period, structure)
    households = _households(period, structure)
    return Report(
        period=period,
        structure=structure,
        devices=devices,
        flows=flows,
        handovers=_handovers(period, structure),
        households=households,
        training=_training(period, structure, households.total),
        follow_ups=_follow_ups(period, structure),
    )


# Devices -----------------------------------------------------------------------------------


def _kg(value):
    return (value or ZERO_KG).quantize(Decimal("0.01"))


def _month_of(field, period, *, moments=True):
    """The month of ``field``, as its position in ``period.months()``, for rows already in
    the period. Plain comparisons with each month's first instant (Paris midnight), which
    every database runs natively; TruncMonth would be a Python call per row on SQLite."""
    months = period.months()
    bounds = [timezone.make_aware(datetime.combine(m, time.min)) if moments else m for m in months[1:]]
    return Case(
        *(When(**{f"{field}__lt": bound}, then=Value(index)) for index, bound in enumerate(bounds)),
        default=Value(len(months) - 1),
        output_field=IntegerField(),
    )


def _rounded(days):
    return None if days is None else round(days, 1)


def _own_devices(structure, prefix=""):
    return Q(**{f"{prefix}donation__structure": structure}) if structure else Q()


def _devices_and_flows(period, structure):
    collected = (
        Device.objects.filter(period.days("donation__received_on"), _own_devices(structure))
        .annotate(month=_month_of("donation__received_on", period, moments=False))
        .values("month")
        .annotate(devices=Count("pk"), kg=Sum("weight_kg"))
        .order_by("month")
    )
    moves_in_period = StatusChange.objects.filter(
        period.moments("at"), MADE_READY | Q(to_status__in=COUNTED_MOVES), _own_devices(structure, "device__")
    )
    # Counted by month from the moves alone; the devices' weights are read (a join per row)
    # only for the moves whose kilograms are reported, a third of them.
    moves = (
        moves_in_period.annotate(month=_month_of("at", period))
        .values("month", "to_status")
        # Counted by device (never null), a column of the moves' index: COUNT(id) would make
        # PostgreSQL read each row from the table instead of the index alone.
        .annotate(devices=Count("device"))
        .order_by("month")
    )
    weights = (
        moves_in_period.filter(to_status__in=WEIGHED_MOVES)
        .values("to_status")
        .annotate(
            kg=Sum("device__weight_kg"),
            weight_unknown=Count("device", filter=Q(device__weight_kg__isnull=True)),
        )
        .order_by()
    )
    months = period.months()
    by_month = defaultdict(lambda: defaultdict(int))
    totals = defaultdict(int)
    kg = defaultdict(Decimal)
    for row in collected:
        by_month[months[row["month"]]]["collected"] += row["devices"]
        totals["collected"] += row["devices"]
        kg["collected"] += row["kg"] or 0
    for row in moves:
        status = row["to_status"]
        by_month[months[row["month"]]][status] += row["devices"]
        totals[status] += row["devices"]
    for row in weights:
        kg[row["to_status"]] += row["kg"] or 0
        totals[f"{row['to_status']}_weight_unknown"] += row["weight_unknown"]
    flows = tuple(
        MonthFlow(
            month=month,
            collected=by_month[month]["collected"],
            made_ready=by_month[month][S.READY],
            handed_over=by_month[month][S.ALLOCATED],
        )
        for month in months
    )

    stock = dict(
        Device.objects.filter(_own_devices(structure))
        .values_list("status")
        .annotate(devices=Count("pk"))
        .order_by()
    )
    allocated = dict(
        AllocationItem.objects.filter(
            _own_devices(structure, "device__"), is_open=True, allocation__status=AllocationStatus.ACTIVE
        )
        .values_list("allocation__kind")
        .annotate(devices=Count("pk"))
        .order_by()
    )
    delays = _delays(period, structure)
    devices = DeviceFigures(
        collected=totals["collected"],
        made_ready=totals[S.READY],
        handed_over=totals[S.ALLOCATED],
        returned=totals[S.RETURNED],
        recycled=totals[S.RECYCLED],
        destroyed=totals[S.DESTROYED],
        lost=totals[S.LOST],
        kg_collected=_kg(kg["collected"]),
        kg_handed_over=_kg(kg[S.ALLOCATED]),
        handed_over_weight_unknown=totals[f"{S.ALLOCATED}_weight_unknown"],
        kg_recycled=_kg(kg[S.RECYCLED]),
        kg_destroyed=_kg(kg[S.DESTROYED]),
        avg_days_collection_to_ready=delays["collection_to_ready"],
        avg_days_ready_to_handover=delays["ready_to_handover"],
        stock=tuple(StockLine(status.value, str(status.label), stock.get(status.value, 0)) for status in S),
        allocated_gift=allocated.get(AllocationKind.GIFT.value, 0),
        allocated_loan=allocated.get(AllocationKind.LOAN.value, 0),
    )
    return devices, flows


def _delays(period, structure):
    """Average days from collection (the donation's date) to ready, over the devices made
    ready in the period; and from ready to hand-over, over those handed over in it."""
    own = _own_devices(structure, "device__")
    collection_to_ready = StatusChange.objects.filter(period.moments("at"), MADE_READY, own).aggregate(
        avg=Avg(DaysBetween(local_date("at", period), "device__donation__received_on"))
    )["avg"]
    # The last "made ready" of the same device before each hand-over: one seek per hand-over
    # down the (device, status, time) index. (Before that index, SQLite walked every "ready"
    # move of the period for each hand-over, and a grouped join was the lesser evil.)
    last_ready = (
        StatusChange.objects.filter(device=OuterRef("device"), to_status=S.READY, at__lte=OuterRef("at"))
        .exclude(from_status=S.RESERVED)
        .order_by("-at")
        .values("at")[:1]
    )
    ready_to_handover = (
        StatusChange.objects.filter(period.moments("at"), own, to_status=S.ALLOCATED)
        .annotate(ready_at=Subquery(last_ready))
        .aggregate(avg=Avg(DaysBetween("at", "ready_at")))["avg"]
    )
    return {
        "collection_to_ready": _rounded(collection_to_ready),
        "ready_to_handover": _rounded(ready_to_handover),
    }


# Hand-overs ---------------------------------------------------------------------------------


def _own(structure, field="structure"):
    return Q(**{field: structure}) if structure else Q()


def handovers_in(period, structure):
    """Allocations handed over in the period (by ``structure``)."""
    return Allocation.objects.filter(period.moments("handed_over_at"), _own(structure))


def _handovers(period, structure):
    rows = {
        row["kind"]: row
        for row in handovers_in(period, structure)
        .values("kind")
        .annotate(
            handovers=Count("pk", distinct=True),
            devices=Count("items"),
            before_rule=Count("pk", distinct=True, filter=~Q(override_reason="")),
        )
        .order_by()
    }
    gift, loan = rows.get(AllocationKind.GIFT.value, {}), rows.get(AllocationKind.LOAN.value, {})
    return HandoverFigures(
        gift=gift.get("handovers", 0),
        loan=loan.get("handovers", 0),
        devices_gift=gift.get("devices", 0),
        devices_loan=loan.get("devices", 0),
        before_rule=gift.get("before_rule", 0) + loan.get("before_rule", 0),
    )


# Households -----------------------------------------------------------------------------------


def courses_running(period, structure):
    """Courses that run, for at least a day, during the period."""
    return Course.objects.filter(starts_on__lte=period.end, ends_on__gte=period.start).filter(_own(structure))


def _enrolments(period, structure):
    return Enrolment.objects.filter(course__in=courses_running(period, structure))


HOUSEHOLD_GROUPS = (
    "neighbourhood_id",
    "neighbourhood__name",
    "neighbourhood__is_priority",
    "referred_by",
    "gender",
    "age_bracket",
)


def _households(period, structure):
    enrolled = _enrolments(period, structure).filter(status=EnrolmentStatus.ENROLLED)
    enrolled_ids = enrolled.values("household_id")
    completed_ids = with_progress(enrolled).filter(is_completed=True).values("household_id")
    equipped_ids = handovers_in(period, structure).values("household_id")
    referred = period.moments("created_at") & _own(structure)
    stages = {
        "referred": Count("pk", filter=referred),
        "enrolled": Count("pk", filter=Q(pk__in=enrolled_ids)),
        "completed": Count("pk", filter=Q(pk__in=completed_ids)),
        "equipped": Count("pk", filter=Q(pk__in=equipped_ids)),
    }
    # The ids of the three groups, united first: the database then reads those households by
    # key, where an OR of the three conditions made it read every household ever registered.
    referred_ids = Household.objects.filter(referred).order_by().values("pk")
    population = Household.objects.filter(
        pk__in=referred_ids.union(enrolled_ids.order_by(), equipped_ids.order_by())
    )
    # One grouped query: a line per combination of neighbourhood, partner, gender and age
    # bracket met among the households (a few thousand at most, however many households
    # there are), added up in one pass into every households table, so each table adds up
    # to the same total.
    lines = population.values_list(*HOUSEHOLD_GROUPS).annotate(**stages).order_by()
    dimensions = ("neighbourhood", "referred_by", "gender", "age_bracket")
    counted = {
        dimension: defaultdict(lambda: [0, 0, 0, 0]) for dimension in (*dimensions, "total", "priority")
    }
    neighbourhood_of = {}
    for pk, name, is_priority, referred_by, gender, age_bracket, *line in lines:
        neighbourhood_of[pk] = (name, is_priority)
        keys = [*zip(dimensions, (pk, referred_by, gender, age_bracket), strict=True), ("total", None)]
        if is_priority:
            keys.append(("priority", None))
        for dimension, key in keys:
            sums = counted[dimension][key]
            for index, value in enumerate(line):
                sums[index] += value

    def stages_of(dimension, key=None):
        return Stages(*counted[dimension].get(key, ()))

    def by_choice(dimension, choices, *, optional=True):
        breakdown = [Breakdown(value, str(label), stages_of(dimension, value)) for value, label in choices]
        if optional:
            # Blank is "not given": shown as such, never folded into another answer.
            breakdown.append(Breakdown("", _("Not given"), stages_of(dimension, "")))
        return tuple(breakdown)

    neighbourhoods = [
        Breakdown(str(pk), name, stages_of("neighbourhood", pk), is_priority=is_priority)
        for pk, (name, is_priority) in neighbourhood_of.items()
    ]
    return HouseholdFigures(
        total=stages_of("total"),
        priority=stages_of("priority"),
        by_neighbourhood=tuple(sorted(neighbourhoods, key=lambda line: (line.label.casefold(), line.key))),
        by_referrer=by_choice("referred_by", ReferredBy.choices, optional=False),
        by_gender=by_choice("gender", Gender.choices),
        by_age_bracket=by_choice("age_bracket", AgeBracket.choices),
    )


# Training and follow-ups ----------------------------------------------------------------------


def _training(period, structure, households):
    held = Session.objects.filter(
        period.moments("starts_at"), _own(structure, "course__structure"), starts_at__lt=start_of_tomorrow()
    )
    # Joined to the course's enrolled households, each session held counts once per household
    # expected at it: the sum over sessions of the households enrolled.
    sessions = held.aggregate(
        held=Count("pk", distinct=True),
        expected=Count("course__enrolments", filter=Q(course__enrolments__status=EnrolmentStatus.ENROLLED)),
    )
    present = Attendance.objects.filter(
        session__in=held, present=True, enrolment__status=EnrolmentStatus.ENROLLED
    ).count()
    enrolments = _enrolments(period, structure).aggregate(
        waiting=Count("pk", filter=Q(status=EnrolmentStatus.WAITING)),
        withdrawn=Count("pk", filter=Q(status=EnrolmentStatus.WITHDRAWN)),
    )
    return TrainingFigures(
        courses=courses_running(period, structure).count(),
        sessions_held=sessions["held"],
        households_enrolled=households.enrolled,
        households_completed=households.completed,
        waiting=enrolments["waiting"],
        withdrawn=enrolments["withdrawn"],
        attendance_expected=sessions["expected"],
        attendance_present=present,
    )


def _follow_ups(period, structure):
    # Aliases differ from the field names: an aggregate may not shadow a field it counts.
    figures = FollowUp.objects.filter(
        period.days("contacted_on"), _own(structure, "allocation__structure")
    ).aggregate(
        n_follow_ups=Count("pk"),
        n_reached=Count("pk", filter=Q(reached=True)),
        n_in_use=Count("pk", filter=Q(reached=True, in_use=True)),
        n_not_in_use=Count("pk", filter=Q(reached=True, in_use=False)),
        n_problems=Count("pk", filter=~Q(problem="")),
        n_needs_repair=Count("pk", filter=Q(needs_repair=True)),
    )
    return FollowUpFigures(**{name.removeprefix("n_"): value for name, value in figures.items()})


# The raw hand-over list -------------------------------------------------------------------------

HANDOVER_FIELDS = (
    "allocation_id",
    "allocation__handed_over_at",
    "allocation__kind",
    "allocation__status",
    "allocation__structure__name",
    "allocation__enrolment__course__title",
    "allocation__household_id",
    "allocation__household__neighbourhood__name",
    "allocation__household__neighbourhood__is_priority",
    "allocation__household__referred_by",
    "allocation__household__gender",
    "allocation__household__age_bracket",
    "device__asset_tag",
    "device__kind",
    "device__brand",
    "device__model",
    "device__weight_kg",
)


def handover_lines(period, structure):
    """One row (a tuple of ``HANDOVER_FIELDS``) per device handed over in the period, oldest
    first: what funders ask for, and no personal data (the household is a number)."""
    return (
        AllocationItem.objects.filter(
            period.moments("allocation__handed_over_at"), _own(structure, "allocation__structure")
        )
        .order_by("allocation__handed_over_at", "allocation_id", "device__asset_tag")
        .values_list(*HANDOVER_FIELDS)
    )
