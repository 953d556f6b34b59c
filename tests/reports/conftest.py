"""A small programme whose figures are known, built through the services at chosen moments.

The report period is the first quarter of 2025 (``PERIOD``). Every record is placed in,
before or after it on purpose; the expected figures are in ``EXPECTED`` and each test
module checks them on its own renderer (selector, screen, CSV, XLSX, PDF, API).
"""

from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from apps.allocations import services as allocations
from apps.devices import services as devices
from apps.devices.choices import DeviceStatus
from apps.reports.periods import Period
from apps.training import services as training
from tests.factories import HouseholdFactory, NeighbourhoodFactory

PARIS = ZoneInfo("Europe/Paris")
PERIOD = Period(date(2025, 1, 1), date(2025, 3, 31))
QUERY = "start=2025-01-01&end=2025-03-31"

# Text a spreadsheet would run as a formula, typed in by users on purpose.
EVIL_COURSE = '=HYPERLINK("https://evil.example","clic")'
EVIL_NEIGHBOURHOOD = "@SUM(1+1)"
EVIL_MODEL = "-2+3"
PHONE_LIKE_COURSE = "+33 6 12 34 56 78"

# Hand-overs: the first minutes of the period (still 31 December in UTC), its last evening,
# and the first minutes after it (still 31 March in UTC).
FIRST_HANDOVER = datetime(2025, 1, 1, 0, 30, tzinfo=PARIS)
LAST_DAY_HANDOVER = datetime(2025, 3, 31, 23, 30, tzinfo=PARIS)
NEXT_DAY_HANDOVER = datetime(2025, 4, 1, 0, 30, tzinfo=PARIS)
O2_READY = datetime(2024, 12, 28, 10, 0, tzinfo=PARIS)
A1_READY = datetime(2025, 2, 3, 10, 0, tzinfo=PARIS)


def _days(delta):
    return delta.total_seconds() / 86400


EXPECTED = {
    "devices_collected": 6,
    "kg_collected": Decimal("11.00"),
    "devices_ready": 4,
    "devices_handed_over": 2,
    "kg_reused": Decimal("3.50"),
    "devices_returned": 1,
    "recycled": 1,
    "destroyed": 1,
    "devices_recycled": 2,
    "kg_diverted": Decimal("3.00"),
    "flows": [(date(2025, 1, 1), 5, 0, 1), (date(2025, 2, 1), 1, 3, 0), (date(2025, 3, 1), 0, 1, 1)],
    "avg_collection_to_ready": 32.5,  # three devices after 19 days, one after 73
    "avg_ready_to_handover": round(
        (_days(FIRST_HANDOVER - O2_READY) + _days(LAST_DAY_HANDOVER - A1_READY)) / 2, 1
    ),
    "stock": {
        "collected": 1,
        "diagnosis": 1,
        "reconditioning": 0,
        "ready": 2,
        "reserved": 0,
        "allocated": 3,
        "returned": 0,
        "recycled": 1,
        "destroyed": 1,
        "lost": 0,
    },
    "allocated_gift": 1,
    "allocated_loan": 2,
    "handovers": 2,
    "households_referred": 5,
    "households_enrolled": 4,
    "households_completed": 3,
    "households_equipped": 2,
    "priority": (4, 3, 2, 1),
    "by_neighbourhood": [(EVIL_NEIGHBOURHOOD, False, 1, 1, 1, 1), ("Les Buers", True, 4, 3, 2, 1)],
    "by_gender": {"female": (1, 2, 2, 2), "male": (1, 1, 1, 0), "other": (0, 0, 0, 0),
                  "declined": (1, 0, 0, 0), "": (2, 1, 0, 0)},
    "by_age_bracket": {"under_26": (0, 0, 0, 0), "26_44": (1, 1, 1, 1), "45_64": (0, 1, 1, 1),
                       "65_plus": (0, 0, 0, 0), "declined": (0, 0, 0, 0), "": (4, 2, 1, 0)},
    "by_referrer": {"ccas": (3, 3, 2, 1), "social_centre": (2, 1, 1, 1)},
    "courses": 2,
    "sessions_held": 4,
    "attendance_expected": 10,
    "attendance_present": 7,
    "attendance_rate": 70.0,
    "completion_rate": 75.0,
    "waiting": 1,
    "follow_ups": 3,
    "reached": 2,
    "in_use": 1,
    "not_in_use": 1,
    "problems": 1,
    "needs_repair": 1,
}  # fmt: skip


@contextmanager
def at(moment):
    """Run the services as if it were ``moment`` (aware): every ``timezone.now()`` answers it."""
    with mock.patch("django.utils.timezone.now", return_value=moment.astimezone(UTC)):
        yield


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def _ready(device, actor):
    devices.transition(device, DeviceStatus.DIAGNOSIS, actor=actor)
    devices.transition(device, DeviceStatus.RECONDITIONING, actor=actor)
    devices.record_erasure(
        device, actor=actor, method="overwrite", tool="nwipe", drive_serial=f"DRV-{device.pk}-{device.status}",
        result="passed", performed_at=timezone.now(),  # the field's default is the real clock, not at()'s
    )  # fmt: skip
    return devices.transition(device, DeviceStatus.READY, actor=actor)


@pytest.fixture
def seeded(db, regie, mediatheque, other_association, agglomeration, technician, trainer, other_trainer):
    """The known programme; returns its records by name."""
    s = SimpleNamespace()
    tech = technician
    with at(paris(2024, 10, 1, 9)):
        donor = devices.create_donor(actor=tech, name="Mairie", kind="public_body")
        s.buers = NeighbourhoodFactory(name="Les Buers", is_priority=True)
        s.evil = NeighbourhoodFactory(name=EVIL_NEIGHBOURHOOD, is_priority=False, code="")

    def donation(day, structure):
        with at(paris(day.year, day.month, day.day, 9)):
            return devices.create_donation(actor=tech, donor=donor, structure=structure, received_on=day)

    def device(donation, name, weight, model="Latitude 5490"):
        received = donation.received_on
        with at(paris(received.year, received.month, received.day, 9, 30)):
            return devices.create_device(
                donation=donation, actor=tech, kind="laptop", brand="Dell", model=model,
                serial_number=f"SN-{name}", storage_gb=256, storage_type="ssd", weight_kg=Decimal(weight),
            )  # fmt: skip

    d_old = donation(date(2024, 12, 20), regie)
    d_in = donation(date(2025, 1, 15), regie)
    d_agglo = donation(date(2025, 2, 10), agglomeration)
    d_late = donation(date(2025, 4, 1), regie)
    s.o1, s.o2 = device(d_old, "o1", "1.50"), device(d_old, "o2", "1.50")
    s.a1 = device(d_in, "a1", "2.00", model=EVIL_MODEL)
    s.a2, s.a3, s.a4, s.a5 = (device(d_in, f"a{n}", "2.00") for n in (2, 3, 4, 5))
    s.b1 = device(d_agglo, "b1", "1.00")
    s.z1 = device(d_late, "z1", "3.00")

    # Households: five referred in the period, one before it, one after.
    def household(name, neighbourhood, structure, created, gender, age, referred_by):
        with at(created):
            return HouseholdFactory(
                contact_name=name, neighbourhood=neighbourhood, structure=structure, created_at=created,
                consent_at=created, gender=gender, age_bracket=age, referred_by=referred_by,
            )  # fmt: skip

    s.h1 = household("Awa Diallo", s.buers, mediatheque, paris(2025, 1, 5, 10), "female", "26_44", "ccas")
    s.h2 = household("Marc Petit", s.buers, mediatheque, paris(2025, 1, 5, 10), "male", "", "ccas")
    s.h3 = household("Lina Haddad", s.buers, mediatheque, paris(2025, 1, 5, 10), "", "", "ccas")
    s.h4 = household("Jo Martin", s.evil, mediatheque, paris(2025, 1, 5, 10), "declined", "", "social_centre")
    s.h5 = household("Rose Blanc", s.evil, other_association, paris(2024, 10, 15, 10), "female", "45_64",
                     "social_centre")  # fmt: skip
    s.h6 = household("Nour Said", s.buers, mediatheque, paris(2025, 2, 1, 10), "", "", "social_centre")
    s.h7 = household("Ana Lopes", s.buers, mediatheque, paris(2025, 4, 2, 10), "", "", "social_centre")

    # Courses: C1 in the period (capacity 3: the fourth household waits), C2 across its start,
    # C3 after it.
    with at(paris(2024, 10, 20, 9)):
        s.c2 = training.create_course(
            actor=other_trainer, structure=other_association, title=EVIL_COURSE, place="Salle",
            starts_on=date(2024, 11, 1), ends_on=date(2025, 1, 31), capacity=5, min_sessions=1,
            trainers=[other_trainer],
        )  # fmt: skip
        c2_sessions = [
            training.create_session(actor=other_trainer, course=s.c2, starts_at=paris(2024, 12, 2, 14), topic="basic_use"),
            training.create_session(actor=other_trainer, course=s.c2, starts_at=paris(2025, 1, 8, 14), topic="basic_use"),
        ]  # fmt: skip
    with at(paris(2024, 11, 5, 9)):
        training.enrol_household(actor=other_trainer, course=s.c2, household=s.h5)
    with at(paris(2025, 1, 2, 9)):
        s.c1 = training.create_course(
            actor=trainer, structure=mediatheque, title=PHONE_LIKE_COURSE, place="Médiathèque",
            starts_on=date(2025, 1, 6), ends_on=date(2025, 3, 31), capacity=3, min_sessions=2, trainers=[trainer],
        )  # fmt: skip
        s.c3 = training.create_course(
            actor=trainer, structure=mediatheque, title="Parcours d'été", place="Médiathèque",
            starts_on=date(2025, 5, 1), ends_on=date(2025, 6, 30), capacity=8, min_sessions=2, trainers=[trainer],
        )  # fmt: skip
        c1_sessions = [
            training.create_session(
                actor=trainer, course=s.c1, starts_at=paris(2025, m, d, 14), topic="basic_use"
            )
            for m, d in ((1, 13), (2, 10), (3, 10))
        ]
    with at(paris(2025, 1, 6, 9)):
        s.e1, s.e2, s.e3, s.e4 = (
            training.enrol_household(actor=trainer, course=s.c1, household=h)
            for h in (s.h1, s.h2, s.h3, s.h4)
        )

    def attend(session, household, present):
        local = session.starts_at.astimezone(PARIS)
        with at(paris(local.year, local.month, local.day, 18)):
            training.record_attendance(actor=trainer, session=session, household=household, present=present)

    with at(paris(2024, 12, 2, 18)):
        training.record_attendance(actor=other_trainer, session=c2_sessions[0], household=s.h5, present=True)
    with at(paris(2025, 1, 8, 18)):
        training.record_attendance(actor=other_trainer, session=c2_sessions[1], household=s.h5, present=True)
    for household in (s.h1, s.h2, s.h3):
        attend(c1_sessions[0], household, True)
    attend(c1_sessions[1], s.h1, True)
    attend(c1_sessions[1], s.h2, True)
    attend(c1_sessions[1], s.h3, False)
    attend(c1_sessions[2], s.h2, True)

    # The devices' lives.
    with at(O2_READY):
        _ready(s.o1, tech)
        _ready(s.o2, tech)
    with at(paris(2024, 12, 30, 10)):
        s.a3_alloc = allocations.reserve(
            actor=other_trainer, enrolment=s.h5.enrolments.get(), devices=[s.o2], kind="gift"
        )
    with at(FIRST_HANDOVER):
        s.a3_alloc = allocations.hand_over(s.a3_alloc, actor=other_trainer)
    with at(A1_READY):
        for item in (s.a1, s.a2, s.a3):
            _ready(item, tech)
    with at(paris(2025, 2, 1, 11)):
        allocations.record_follow_up(
            s.a3_alloc, actor=other_trainer, contacted_on=date(2025, 2, 1), reached=True, in_use=True
        )
    with at(paris(2025, 2, 10, 11)):
        allocations.record_follow_up(
            s.a3_alloc, actor=other_trainer, contacted_on=date(2025, 2, 10), reached=False
        )
    with at(paris(2025, 2, 12, 11)):
        allocations.record_follow_up(
            s.a3_alloc, actor=other_trainer, contacted_on=date(2025, 2, 12), reached=True, in_use=False,
            problem="Ne démarre plus", needs_repair=True,
        )  # fmt: skip
    with at(paris(2025, 2, 15, 10)):
        s.a3_alloc = allocations.return_allocation(s.a3_alloc, actor=other_trainer, condition="good")
    with at(paris(2025, 2, 20, 10)):
        devices.transition(s.b1, DeviceStatus.DESTROYED, actor=tech)
    with at(paris(2025, 3, 3, 10)):
        s.o2.refresh_from_db()
        devices.transition(s.o2, DeviceStatus.RECONDITIONING, actor=tech)
        devices.record_erasure(
            s.o2,
            actor=tech,
            method="overwrite",
            drive_serial="DRV-o2-again",
            result="passed",
            performed_at=timezone.now(),
        )
        devices.transition(s.o2, DeviceStatus.READY, actor=tech)
    with at(paris(2025, 3, 5, 10)):
        devices.transition(s.a4, DeviceStatus.RECYCLED, actor=tech)
    with at(paris(2025, 3, 6, 10)):
        devices.transition(s.a5, DeviceStatus.DIAGNOSIS, actor=tech)
    # A reservation cancelled the next day: the device is ready again, but not "made ready".
    with at(paris(2025, 3, 12, 10)):
        cancelled = allocations.reserve(actor=trainer, enrolment=s.e3, devices=[s.a3], kind="gift")
    with at(paris(2025, 3, 13, 10)):
        allocations.cancel(cancelled, actor=trainer)
    with at(paris(2025, 3, 20, 10)):
        s.a1_alloc = allocations.reserve(actor=trainer, enrolment=s.e1, devices=[s.a1], kind="gift")
    with at(LAST_DAY_HANDOVER):
        s.a1_alloc = allocations.hand_over(s.a1_alloc, actor=trainer)
    with at(paris(2025, 3, 25, 10)):
        s.a2_alloc = allocations.reserve(
            actor=trainer, enrolment=s.e2, devices=[s.a2, s.o1], kind="loan", due_on=date(2025, 9, 1)
        )
    with at(NEXT_DAY_HANDOVER):
        s.a2_alloc = allocations.hand_over(s.a2_alloc, actor=trainer)
    with at(paris(2025, 4, 15, 11)):
        allocations.record_follow_up(
            s.a1_alloc, actor=trainer, contacted_on=date(2025, 4, 15), reached=True, in_use=True
        )
    return s


class _Tables(HTMLParser):
    """Reads the tables of a page: ``{table id: [[cell text, ...], ...]}`` (header row first)."""

    def __init__(self):
        super().__init__()
        self.tables, self._id, self._row, self._cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._id = dict(attrs).get("id")
            self.tables[self._id] = []
        elif tag == "tr" and self._id is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._id].append(self._row)
            self._row = None
        elif tag == "table":
            self._id = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_tables(html):
    parser = _Tables()
    parser.feed(html)
    return parser.tables
