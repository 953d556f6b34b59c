"""The report's figures laid out as tables: what the dashboard shows, each export writes and
the PDF prints. Built from a ``figures.Report`` only, never from the database.

Cells are plain values whose type says how to show them: ``int`` a count, ``Decimal`` a
weight in kg (two decimals), ``float`` a rate in % or a number of days (one decimal),
``None`` nothing to show, ``str`` text. Every breakdown of households ends with a total
that equals the households figure, since each household falls in exactly one line.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from apps.allocations.choices import AllocationKind, AllocationStatus
from apps.devices.choices import DeviceKind
from apps.households.choices import AgeBracket, Gender, ReferredBy


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = True


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]
    total: tuple | None = None

    @property
    def header(self):
        return [column.label for column in self.columns]

    def all_rows(self):
        """The rows, then the total line if any: what an export writes."""
        return [*self.rows, *([self.total] if self.total else [])]


def format_cell(value):
    """A cell as text, for the screen and the PDF: counts grouped, kg with two decimals,
    rates and days with one, nothing as a dash."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    if isinstance(value, Decimal):
        return number_format(value, 2, force_grouping=True)
    if isinstance(value, float):
        return number_format(value, 1, force_grouping=True)
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


KEYS = (
    "summary",
    "funnel",
    "stock",
    "flows",
    "delays",
    "handovers",
    "households",
    "neighbourhoods",
    "referrers",
    "genders",
    "age_brackets",
    "training",
    "follow_ups",
)


def report_tables(report):
    """Every table of ``report``, by key, in the order of ``KEYS``."""
    builders = {
        "summary": _summary,
        "funnel": _funnel,
        "stock": _stock,
        "flows": _flows,
        "delays": _delays,
        "handovers": _handovers,
        "households": _households,
        "neighbourhoods": _neighbourhoods,
        "referrers": lambda r: _breakdown(r, "referrers", _("Households by referring partner"),
                                          _("Referred by"), r.households.by_referrer),
        "genders": lambda r: _breakdown(r, "genders", _("Households by gender of the contact person"),
                                        _("Gender"), r.households.by_gender),
        "age_brackets": lambda r: _breakdown(r, "age_brackets", _("Households by age bracket of the contact person"),
                                             _("Age bracket"), r.households.by_age_bracket),
        "training": _training,
        "follow_ups": _follow_ups,
    }  # fmt: skip
    return {key: builders[key](report) for key in KEYS}


def _measures(key, title, rows):
    return Table(key, title, (Column(_("Measure"), numeric=False), Column(_("Value"))), tuple(rows))


def _summary(report):
    d, h, t = report.devices, report.households.total, report.training
    return _measures(
        "summary",
        _("Key figures"),
        [
            (_("Devices collected"), d.collected),
            (_("Devices made ready"), d.made_ready),
            (_("Devices handed over"), d.handed_over),
            (_("Devices recycled or destroyed"), d.end_of_life),
            (_("Kilograms diverted from waste (recycled or destroyed)"), d.kg_diverted),
            (_("Kilograms reused (handed over)"), d.kg_handed_over),
            # Said beside the kilograms, which leave them out: a funder reads the total as whole.
            (
                _("Devices handed over with no weight recorded (not in the kilograms)"),
                d.handed_over_weight_unknown,
            ),
            (_("Hand-overs"), report.handovers.total),
            (_("Households referred"), h.referred),
            (_("Households enrolled"), h.enrolled),
            (_("Households that completed their course"), h.completed),
            (_("Households equipped"), h.equipped),
            (_("Attendance rate (%)"), t.attendance_rate),
            (_("Completion rate (%)"), t.completion_rate),
            (_("Follow-ups: contacts that reached the household"), report.follow_ups.reached),
        ],
    )


def _funnel(report):
    d = report.devices
    return Table(
        "funnel",
        _("Device funnel in the period"),
        (Column(_("Step"), numeric=False), Column(_("Devices")), Column(_("Weight (kg)"))),
        (
            (_("Collected"), d.collected, d.kg_collected),
            (_("Made ready"), d.made_ready, None),
            (_("Handed over"), d.handed_over, d.kg_handed_over),
            (_("Returned"), d.returned, None),
            (_("Recycled"), d.recycled, d.kg_recycled),
            (_("Destroyed"), d.destroyed, d.kg_destroyed),
            (_("Lost or stolen"), d.lost, None),
        ),
    )


def _stock(report):
    d = report.devices
    rows = []
    for line in d.stock:
        split = (d.allocated_gift, d.allocated_loan) if line.status == "allocated" else (None, None)
        rows.append((line.label, line.devices, *split))
    return Table(
        "stock",
        _("Devices by status today"),
        (Column(_("Status"), numeric=False), Column(_("Devices")), Column(_("of which gift")),
         Column(_("of which loan"))),
        tuple(rows),
        total=(_("Total"), d.stock_total, d.allocated_gift, d.allocated_loan),
    )  # fmt: skip


def _flows(report):
    flows = report.flows
    return Table(
        "flows",
        _("Devices per month"),
        (Column(_("Month"), numeric=False), Column(_("Collected")), Column(_("Made ready")),
         Column(_("Handed over"))),
        tuple((date_format(f.month, "YEAR_MONTH_FORMAT"), f.collected, f.made_ready, f.handed_over)
              for f in flows),
        total=(_("Total"), sum(f.collected for f in flows), sum(f.made_ready for f in flows),
               sum(f.handed_over for f in flows)),
    )  # fmt: skip


def _delays(report):
    d = report.devices
    return Table(
        "delays",
        _("Average time through the workshop"),
        (Column(_("From → to"), numeric=False), Column(_("Average (days)"))),
        (
            (_("Collection → ready"), d.avg_days_collection_to_ready),
            (_("Ready → hand-over"), d.avg_days_ready_to_handover),
        ),
    )


def _handovers(report):
    h = report.handovers
    return Table(
        "handovers",
        _("Hand-overs in the period"),
        (Column(_("Kind"), numeric=False), Column(_("Hand-overs")), Column(_("Devices"))),
        ((_("Gift"), h.gift, h.devices_gift), (_("Loan"), h.loan, h.devices_loan)),
        total=(_("Total"), h.total, h.devices),
    )


def _stage_labels():
    return {
        "referred": _("Referred"),
        "enrolled": _("Enrolled"),
        "completed": _("Completed their course"),
        "equipped": _("Equipped"),
    }


def _households(report):
    households = report.households
    labels = _stage_labels()
    return Table(
        "households",
        _("Households"),
        (Column(_("Step"), numeric=False), Column(_("Households")), Column(_("of which in a QPV")),
         Column(_("QPV share (%)"))),
        tuple((labels[name], getattr(households.total, name), getattr(households.priority, name),
               households.priority_share(name)) for name in labels),
    )  # fmt: skip


def _stage_columns():
    return (Column(_("Referred")), Column(_("Enrolled")), Column(_("Completed")), Column(_("Equipped")))


def _neighbourhoods(report):
    households = report.households
    return Table(
        "neighbourhoods",
        _("Households by neighbourhood"),
        (Column(_("Neighbourhood"), numeric=False), Column(_("QPV"), numeric=False), *_stage_columns()),
        tuple((line.label, _("Yes") if line.is_priority else _("No"), *line.stages.as_tuple())
              for line in households.by_neighbourhood),
        total=(_("Total"), "", *households.total.as_tuple()),
    )  # fmt: skip


def _breakdown(report, key, title, first_column, lines):
    return Table(
        key,
        title,
        (Column(first_column, numeric=False), *_stage_columns()),
        tuple((line.label, *line.stages.as_tuple()) for line in lines),
        total=(_("Total"), *report.households.total.as_tuple()),
    )


def _training(report):
    t = report.training
    return _measures(
        "training",
        _("Training"),
        [
            (_("Courses running in the period"), t.courses),
            (_("Sessions held"), t.sessions_held),
            (_("Households enrolled"), t.households_enrolled),
            (_("Households that completed their course"), t.households_completed),
            (_("Enrolments on a waiting list"), t.waiting),
            (_("Enrolments withdrawn"), t.withdrawn),
            (_("Expected attendances (sessions held × households enrolled)"), t.attendance_expected),
            (_("Attendances (present)"), t.attendance_present),
            (_("Attendance rate (%)"), t.attendance_rate),
            (_("Completion rate (%)"), t.completion_rate),
        ],
    )


def _follow_ups(report):
    f = report.follow_ups
    return _measures(
        "follow_ups",
        _("Follow-ups"),
        [
            (_("Follow-up contacts"), f.follow_ups),
            (_("Contacts that reached the household"), f.reached),
            (_("Computer in use"), f.in_use),
            (_("Computer not in use"), f.not_in_use),
            (_("Problems reported"), f.problems),
            (_("Needs a repair"), f.needs_repair),
            (_("In use, of the contacts that reached the household (%)"), f.in_use_rate),
        ],
    )


def definitions():
    """How each figure is counted, in words: printed under the tables and in the PDF."""
    return [
        (_("Period"), _("Both dates are included; days start and end at midnight, Paris time.")),
        (
            _("Structure"),
            _(
                "A structure's devices are those of the donations it received; its hand-overs, courses "
                "and follow-ups are its own; its referred households are those it registered."
            ),
        ),
        (_("Devices collected"), _("Devices of the donations received in the period.")),
        (
            _("Made ready, handed over, returned, recycled, destroyed"),
            _(
                "Moves of devices into that status in the period. A device reconditioned twice counts "
                "twice; a device back on the shelf after a cancelled reservation is not made ready again."
            ),
        ),
        (
            _("Kilograms diverted from waste"),
            _("Weight of the devices recycled or destroyed in the period, through the e-waste channel."),
        ),
        (_("Kilograms reused"), _("Weight of the devices handed over to households in the period.")),
        (_("Devices by status today"), _("The stock on the day the report is made, whatever the period.")),
        (
            _("Average time"),
            _(
                "From the donation's date to the device being made ready, over the devices made ready in "
                "the period; from being made ready to the hand-over, over the devices handed over in it."
            ),
        ),
        (
            _("Hand-overs"),
            _("Allocations handed over in the period; a loan later turned into a gift is a gift."),
        ),
        (
            _("Households"),
            _(
                "Referred: registered in the period. Enrolled: enrolled (not waiting, not withdrawn) in a "
                "course running during the period. Completed: of those, households that met their course's "
                "rule. Equipped: households with a hand-over in the period. Each household counts once "
                "per line, so every breakdown adds up to the total. Not given: the person was not asked."
            ),
        ),
        (
            _("Attendance rate"),
            _("Households present, out of every enrolled household at every session held in the period."),
        ),
        (_("Completion rate"), _("Households that completed their course, out of the households enrolled.")),
        (_("Follow-ups"), _("Contacts with equipped households made in the period.")),
    ]


def _qpv_label(line, room=40):
    name = line.label if len(line.label) <= room else line.label[: room - 1] + "…"
    return f"{name} (QPV)" if line.is_priority else name


def chart_data(report, tables=None):
    """What the charts draw, taken from the tables: ``{key: {"title", "categories", "series"}}``
    where ``series`` is a list of ``(label, values)``."""
    tables = tables or report_tables(report)
    funnel, flows, households = tables["funnel"], tables["flows"], tables["households"]
    neighbourhoods = tables["neighbourhoods"]

    def column(table, index):
        return [row[index] for row in table.rows]

    return {
        "funnel": {
            "title": funnel.title,
            "categories": column(funnel, 0),
            "series": [(_("Devices"), column(funnel, 1))],
        },
        "flows": {
            "title": flows.title,
            "categories": column(flows, 0),
            "series": [(flows.columns[i].label, column(flows, i)) for i in (1, 2, 3)],
        },
        "households": {
            "title": households.title,
            "categories": column(households, 0),
            "series": [(households.columns[1].label, column(households, 1)),
                       (_("in a QPV"), column(households, 2))],
        },
        "neighbourhoods": {
            "title": neighbourhoods.title,
            "categories": [_qpv_label(line) for line in report.households.by_neighbourhood],
            "series": [(neighbourhoods.columns[3].label, column(neighbourhoods, 3)),
                       (neighbourhoods.columns[5].label, column(neighbourhoods, 5))],
        },
    }  # fmt: skip


# The raw hand-over list ---------------------------------------------------------------------


def handover_header():
    return [
        _("Allocation no."),
        _("Handed over on"),
        _("Kind"),
        _("Status today"),
        _("Structure"),
        _("Course"),
        _("Household no."),
        _("Neighbourhood"),
        _("QPV"),
        _("Referred by"),
        _("Gender"),
        _("Age bracket"),
        _("Asset tag"),
        _("Device"),
        _("Brand"),
        _("Model"),
        _("Weight (kg)"),
    ]


HANDOVER_WIDTHS = [12, 14, 8, 14, 30, 30, 12, 24, 6, 24, 14, 14, 14, 14, 16, 24, 10]


def handover_rows(lines):
    """``selectors.handover_lines`` as export rows: labels instead of codes, the local date.

    The labels are taken now, in the request's language; the rows are made one at a time
    as the response streams."""
    labels = {
        "kind": dict(AllocationKind.choices),
        "status": dict(AllocationStatus.choices),
        "referred_by": dict(ReferredBy.choices),
        "gender": dict(Gender.choices),
        "age": dict(AgeBracket.choices),
        "device": dict(DeviceKind.choices),
    }
    labels = {name: {code: str(label) for code, label in choices.items()} for name, choices in labels.items()}
    words = {"yes": _("Yes"), "no": _("No"), "not_given": _("Not given")}
    return _handover_rows(lines, labels, words)


def _handover_rows(lines, labels, words):
    for (number, handed_over_at, kind, status, structure, course, household, neighbourhood, priority,
         referred_by, gender, age, tag, device_kind, brand, model, weight) in lines:  # fmt: skip
        yield (
            f"{number:05d}",
            timezone.localdate(handed_over_at),
            labels["kind"].get(kind, kind),
            labels["status"].get(status, status),
            structure,
            course,
            household,
            neighbourhood,
            words["yes"] if priority else words["no"],
            labels["referred_by"].get(referred_by, referred_by),
            labels["gender"].get(gender, gender) if gender else words["not_given"],
            labels["age"].get(age, age) if age else words["not_given"],
            tag,
            labels["device"].get(device_kind, device_kind),
            brand,
            model,
            weight,
        )
