"""The figures of one report, as plain data.

``selectors.report_figures()`` fills them in from the database; the dashboard, the CSV and
XLSX exports, the PDF and the API only render them. No renderer computes a figure of its
own, so a number reads the same on every one of them by construction.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ZERO_KG = Decimal("0.00")


def percent(part, whole):
    """``part`` as a percentage of ``whole``, one decimal; ``None`` when ``whole`` is 0."""
    if not whole:
        return None
    return round(100 * part / whole, 1)


@dataclass(frozen=True)
class StockLine:
    status: str
    label: str
    devices: int


@dataclass(frozen=True)
class DeviceFigures:
    """The device funnel of the period, its weights, and the stock now.

    Moves are counted as they happened (a device reconditioned twice in the period counts
    twice as made ready), so the months add up to the period.
    """

    collected: int
    made_ready: int
    handed_over: int
    returned: int
    recycled: int
    destroyed: int
    lost: int
    kg_collected: Decimal
    kg_handed_over: Decimal
    handed_over_weight_unknown: int
    kg_recycled: Decimal
    kg_destroyed: Decimal
    avg_days_collection_to_ready: float | None
    avg_days_ready_to_handover: float | None
    stock: tuple[StockLine, ...]
    allocated_gift: int
    allocated_loan: int

    @property
    def end_of_life(self):
        """Recycled or destroyed: sent to the e-waste channel."""
        return self.recycled + self.destroyed

    @property
    def kg_diverted(self):
        """Weight sent to recycling or destruction rather than thrown away."""
        return self.kg_recycled + self.kg_destroyed

    @property
    def stock_total(self):
        return sum(line.devices for line in self.stock)


@dataclass(frozen=True)
class MonthFlow:
    month: date
    collected: int
    made_ready: int
    handed_over: int


@dataclass(frozen=True)
class HandoverFigures:
    """Allocations handed over in the period, by kind (a loan since turned into a gift is a gift)."""

    gift: int
    loan: int
    devices_gift: int
    devices_loan: int
    before_rule: int

    @property
    def total(self):
        return self.gift + self.loan

    @property
    def devices(self):
        return self.devices_gift + self.devices_loan


@dataclass(frozen=True)
class Stages:
    """Households at each step of the programme, counted once each."""

    referred: int = 0
    enrolled: int = 0
    completed: int = 0
    equipped: int = 0

    NAMES = ("referred", "enrolled", "completed", "equipped")

    def as_tuple(self):
        return tuple(getattr(self, name) for name in self.NAMES)


@dataclass(frozen=True)
class Breakdown:
    """One line of a households table: a neighbourhood, a kind of partner, a gender..."""

    key: str
    label: str
    stages: Stages
    is_priority: bool | None = None


@dataclass(frozen=True)
class HouseholdFigures:
    total: Stages
    priority: Stages
    by_neighbourhood: tuple[Breakdown, ...]
    by_referrer: tuple[Breakdown, ...]
    by_gender: tuple[Breakdown, ...]
    by_age_bracket: tuple[Breakdown, ...]

    def priority_share(self, stage):
        return percent(getattr(self.priority, stage), getattr(self.total, stage))


@dataclass(frozen=True)
class TrainingFigures:
    courses: int
    sessions_held: int
    households_enrolled: int
    households_completed: int
    waiting: int
    withdrawn: int
    attendance_expected: int
    attendance_present: int

    @property
    def attendance_rate(self):
        """Present, out of every enrolled household at every session held."""
        return percent(self.attendance_present, self.attendance_expected)

    @property
    def completion_rate(self):
        return percent(self.households_completed, self.households_enrolled)


@dataclass(frozen=True)
class FollowUpFigures:
    follow_ups: int
    reached: int
    in_use: int
    not_in_use: int
    problems: int
    needs_repair: int

    @property
    def in_use_rate(self):
        """Of the contacts that reached the household, the share that found the computer in use."""
        return percent(self.in_use, self.reached)


@dataclass(frozen=True)
class Report:
    period: object  # periods.Period
    structure: object  # accounts.Structure or None: every structure
    devices: DeviceFigures
    flows: tuple[MonthFlow, ...]
    handovers: HandoverFigures
    households: HouseholdFigures
    training: TrainingFigures
    follow_ups: FollowUpFigures
