"""A deterministic dataset of a large territory that has run the programme for ten years.

At ``scale=1``: 100,000 devices across 5,000 donations, 20,000 households, 2,000 courses with
10,000 sessions and their attendance, 60,000 allocations with their follow-ups, and over a
million history rows. Everything is written in bulk (``bulk_create`` in large batches), the
history rows straight into the historical tables of django-simple-history with the columns
the application fills (``history_type``, ``history_date``, ``history_user``,
``history_actor_name``, ``history_change_reason``), and one ``StatusChange`` per move of
each device, as ``apps.devices.services.transition`` writes them.

Dates are spread over the ten years up to today; the same seed gives the same data (dates
are relative to the day it is built). One device (``TIMELINE_TAG``) has a 200-event timeline.
"""

from __future__ import annotations

import contextlib
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from apps.accounts.choices import Role, StructureKind
from apps.accounts.models import Structure, User
from apps.allocations.choices import AllocationKind, AllocationStatus, DeviceUse, ReturnCondition
from apps.allocations.models import Allocation, AllocationItem, FollowUp
from apps.devices.choices import (
    ConditionGrade,
    DeviceKind,
    DeviceStatus,
    DonorKind,
    ErasureMethod,
    ErasureResult,
    InterventionKind,
    StorageType,
)
from apps.devices.models import AssetTagCounter, Device, Donation, Donor, Erasure, Intervention, StatusChange
from apps.households import matching
from apps.households.choices import AgeBracket, Gender, ReferredBy
from apps.households.models import Household, Neighbourhood
from apps.training.choices import EnrolmentStatus, SessionTopic
from apps.training.models import Attendance, Course, Enrolment, Session

# Bump when the generated data changes shape: an existing bench database is then rebuilt.
GENERATOR_VERSION = 3
DEFAULT_SEED = 20261121
BATCH = 5000
YEARS = 10
TIMELINE_TAG_NUMBER = 7  # OP-000007 has the long timeline
TIMELINE_EVENTS = 200
S = DeviceStatus

FIRST_NAMES = [
    "Fatima", "Mohamed", "Sophie", "Nadia", "Karim", "Claire", "Aïcha", "Jean", "Marie", "Youssef",
    "Léa", "Samir", "Inès", "Thomas", "Amina", "Lucas", "Chloé", "Ibrahim", "Emma", "Hugo",
    "Zoé", "Mamadou", "Sarah", "Nicolas", "Leïla", "Paul", "Yasmine", "Olivier", "Camille", "Ali",
]  # fmt: skip
LAST_NAMES = [
    "Benali", "Martin", "Dumont", "Nguyen", "Diallo", "Bernard", "Haddad", "Petit", "Robert", "Moreau",
    "Traoré", "Girard", "Lefebvre", "Mercier", "Bouzid", "Fontaine", "Rousseau", "Kone", "Blanc", "Garnier",
    "Chevalier", "Yılmaz", "Faure", "André", "Da Silva", "Masson", "Sanchez", "Lemoine", "Cissé", "Roux",
]  # fmt: skip
MODELS = {
    DeviceKind.LAPTOP: [("Dell", "Latitude E7450"), ("Lenovo", "ThinkPad T460"), ("HP", "EliteBook 840 G3"),
                        ("Lenovo", "ThinkPad X260"), ("Dell", "Latitude 5490"), ("HP", "ProBook 650 G2")],
    DeviceKind.DESKTOP: [("Dell", "OptiPlex 7040"), ("HP", "ProDesk 600 G2"), ("Lenovo", "ThinkCentre M710")],
    DeviceKind.ALL_IN_ONE: [("HP", "EliteOne 800 G2"), ("Lenovo", "ThinkCentre M810z")],
    DeviceKind.SCREEN: [("Dell", "P2217H"), ("iiyama", "ProLite E2282HS"), ("HP", "EliteDisplay E222")],
    DeviceKind.TABLET: [("Samsung", "Galaxy Tab A 10.1"), ("Apple", "iPad 6")],
    DeviceKind.PERIPHERAL: [("Logitech", "K120"), ("Dell", "KB216"), ("HP", "X500")],
}  # fmt: skip
KIND_WEIGHTS = [
    (DeviceKind.LAPTOP, 45), (DeviceKind.DESKTOP, 30), (DeviceKind.ALL_IN_ONE, 5),
    (DeviceKind.SCREEN, 10), (DeviceKind.TABLET, 5), (DeviceKind.PERIPHERAL, 5),
]  # fmt: skip
COMPUTERS = {DeviceKind.LAPTOP, DeviceKind.DESKTOP, DeviceKind.ALL_IN_ONE, DeviceKind.TABLET}
WEIGHT = {
    DeviceKind.LAPTOP: "1.80", DeviceKind.DESKTOP: "6.50", DeviceKind.ALL_IN_ONE: "8.20",
    DeviceKind.SCREEN: "4.10", DeviceKind.TABLET: "0.50", DeviceKind.PERIPHERAL: "0.60",
}  # fmt: skip
CPUS = ["Intel Core i5-6300U", "Intel Core i5-8350U", "Intel Core i3-7100", "Intel Core i7-6600U", "AMD A10"]
LOCATIONS = [f"Étagère {letter}{number}" for letter in "ABCDEFGH" for number in range(1, 7)]


@dataclass(frozen=True)
class Sizes:
    devices: int
    donations: int
    donors: int
    households: int
    neighbourhoods: int
    courses: int
    sessions_per_course: int
    enrolments_per_course: int
    allocations: int

    @classmethod
    def for_scale(cls, scale: float) -> Sizes:
        def n(full, minimum=1):
            return max(minimum, round(full * scale))

        return cls(
            devices=n(100_000, 300),
            donations=n(5_000, 15),
            donors=n(1_000, 5),
            households=n(20_000, 60),
            neighbourhoods=40,
            courses=n(2_000, 6),
            sessions_per_course=5,
            enrolments_per_course=15,
            allocations=n(60_000, 150),
        )


@dataclass
class Dataset:
    """What the measures need to find in the generated data."""

    scale: float
    seed: int
    sizes: dict
    counts: dict = field(default_factory=dict)
    history_rows: int = 0
    seconds: float = 0.0
    timeline_tag: str = ""
    household_id: int = 0
    course_id: int = 0
    busy_year: int = 0

    def as_dict(self):
        return {
            "scale": self.scale,
            "seed": self.seed,
            "generator_version": GENERATOR_VERSION,
            "sizes": self.sizes,
            "counts": self.counts,
            "history_rows": self.history_rows,
            "seconds": self.seconds,
            "timeline_tag": self.timeline_tag,
            "household_id": self.household_id,
            "course_id": self.course_id,
            "busy_year": self.busy_year,
        }


@contextlib.contextmanager
def keep_given_dates():
    """``bulk_create`` fills ``auto_now``/``auto_now_add`` fields with *now*; the dataset
    needs its own dates there (ten years of records), so the flags are off meanwhile."""
    changed = []
    for model in (Donor, Donation, Device, FollowUp):
        for f in model._meta.concrete_fields:
            for flag in ("auto_now", "auto_now_add"):
                if getattr(f, flag, False):
                    setattr(f, flag, False)
                    changed.append((f, flag))
    try:
        yield
    finally:
        for f, flag in changed:
            setattr(f, flag, True)


class Writer:
    """Buffers rows per model and writes them with ``bulk_create`` in large batches."""

    def __init__(self):
        self.buffers: dict = {}
        self.counts: dict = {}
        self.history_rows = 0

    def add(self, obj):
        self.add_row(type(obj), obj)

    def add_row(self, model, row):
        """``row``: a model instance, or a dict of attribute names (lighter, for history)."""
        buffer = self.buffers.setdefault(model, [])
        buffer.append(row)
        if len(buffer) >= BATCH:
            self.flush(model)

    def history(self, obj, *, when, kind="+", user=None, reason="", **changes):
        """One historical row of ``obj`` as the app writes it (``changes`` override fields)."""
        model = type(obj)
        historical = _historical(model)
        values = {
            f.attname: getattr(obj, f.attname)
            for f in historical._meta.concrete_fields
            if f.attname in _tracked_attnames(model)
        }
        values.update(changes)
        for name, value in values.items():
            if isinstance(value, FieldFile):  # history keeps a file's name (simple-history)
                values[name] = value.name or ""
        values.update(
            history_date=when,
            history_type=kind,
            history_change_reason=reason or None,
            history_user_id=user.pk if user else None,
            history_actor_name=_name(user),
        )
        self.add_row(historical, values)
        self.history_rows += 1

    def flush(self, model=None):
        pending = [model] if model else list(self.buffers)
        for m in pending:
            rows = self.buffers.get(m)
            if rows:
                insert_rows(m, rows)
                self.counts[m._meta.label] = self.counts.get(m._meta.label, 0) + len(rows)
                rows.clear()


# Fields whose Python value the database driver cannot take as it is (time zones, decimals
# and JSON on SQLite, JSON on PostgreSQL): converted by Django, as a save would.
CONVERTED = (models.DateTimeField, models.DateField, models.DecimalField, models.JSONField, models.FileField)


def insert_rows(model, objs):
    """``bulk_create`` without its per-object overhead: one ``executemany`` of the INSERT
    Django would write, with each value prepared as its field prepares it. Auto ids (the
    history ids) are left to the database; every other row carries the id it was given."""
    as_dict = isinstance(objs[0], dict)
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (
            f.primary_key and isinstance(f, models.AutoField) and _value(objs[0], f.attname, as_dict) is None
        )
    ]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    getters = [(f.attname, _converter(f)) for f in fields]
    if as_dict:
        rows = [
            tuple(prep(obj.get(name)) if prep else obj.get(name) for name, prep in getters) for obj in objs
        ]
    else:
        rows = [
            tuple(prep(getattr(obj, name)) if prep else getattr(obj, name) for name, prep in getters)
            for obj in objs
        ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _value(obj, name, as_dict):
    return obj.get(name) if as_dict else getattr(obj, name)


def _sqlite_datetime(value):
    # What Django's SQLite backend stores for an aware datetime: naive UTC, ISO with a space.
    return None if value is None else str(value.astimezone(UTC).replace(tzinfo=None))


def _converter(f):
    """A fast equivalent of ``f.get_db_prep_save`` for the hot types, else Django's own."""
    sqlite = connection.vendor == "sqlite"
    if isinstance(f, models.DateTimeField):
        return _sqlite_datetime if sqlite else None
    if isinstance(f, models.DateField):
        return (lambda value: None if value is None else value.isoformat()) if sqlite else None
    if isinstance(f, models.DecimalField):
        return (lambda value: None if value is None else str(value)) if sqlite else None
    if isinstance(f, CONVERTED):
        return lambda value: f.get_db_prep_save(value, connection)
    return None


_TRACKED = {}
_HISTORICAL = {}


def _historical(model):
    # ``model.history`` builds a new manager on each access: far too slow a million times.
    if model not in _HISTORICAL:
        _HISTORICAL[model] = model.history.model
    return _HISTORICAL[model]


def _tracked_attnames(model):
    if model not in _TRACKED:
        _TRACKED[model] = {f.attname for f in model._meta.concrete_fields}
    return _TRACKED[model]


def _name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _aware(day: date, hour=10, minute=0):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


class Generator:
    def __init__(self, scale: float, seed: int = DEFAULT_SEED, log=print):
        self.scale = scale
        self.seed = seed
        self.sizes = Sizes.for_scale(scale)
        self.rng = random.Random(seed)
        self.log = log
        self.w = Writer()
        self.today = timezone.localdate()
        self.start = self.today - timedelta(days=365 * YEARS)
        self.now = timezone.now()

    # Helpers -----------------------------------------------------------------------------

    def day_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def moment(self, day: date):
        return _aware(day, self.rng.randint(8, 17), self.rng.randint(0, 59))

    def pick(self, items):
        return items[self.rng.randrange(len(items))]

    # Build ---------------------------------------------------------------------------------

    def build(self) -> Dataset:
        started = time.perf_counter()
        with keep_given_dates(), transaction.atomic():
            self.people()
            self.log(f"  people, donors, donations: {time.perf_counter() - started:.0f} s")
            self.households()
            self.log(f"  households: {time.perf_counter() - started:.0f} s")
            self.training()
            self.log(f"  courses, sessions, attendance: {time.perf_counter() - started:.0f} s")
            self.plan_allocations()
            self.devices()
            self.log(f"  devices and their moves: {time.perf_counter() - started:.0f} s")
            self.allocations()
            self.log(f"  allocations and follow-ups: {time.perf_counter() - started:.0f} s")
            self.w.flush()
            AssetTagCounter.objects.update_or_create(
                prefix="OP", defaults={"last_number": self.sizes.devices}
            )
        self.reset_sequences()
        dataset = Dataset(
            scale=self.scale,
            seed=self.seed,
            sizes=self.sizes.__dict__,
            counts=dict(sorted(self.w.counts.items())),
            history_rows=self.w.history_rows,
            seconds=round(time.perf_counter() - started, 1),
            timeline_tag=f"OP-{TIMELINE_TAG_NUMBER:06d}",
            household_id=self.busy_household,
            course_id=self.busy_course,
            busy_year=self.today.year - 1,
        )
        return dataset

    def reset_sequences(self):
        """Rows were given explicit ids: move the sequences past them (PostgreSQL)."""
        from django.core.management.color import no_style

        models = [
            Structure, User, Neighbourhood, Household, Donor, Donation, Device, StatusChange,
            Intervention, Erasure, Course, Session, Enrolment, Attendance, Allocation,
            AllocationItem, FollowUp,
        ]  # fmt: skip
        models += [m.history.model for m in models if hasattr(m, "history")]
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    # People and donations --------------------------------------------------------------------

    def people(self):
        groups = {role: Group.objects.get(name=role.value) for role in Role}
        specs = [("Régie de quartier des Tilleuls", StructureKind.REGIE, Role.TECHNICIAN)]
        specs += [(f"Régie de quartier n°{i}", StructureKind.REGIE, Role.TECHNICIAN) for i in range(2, 5)]
        specs += [("Médiathèque Louise-Michel", StructureKind.MEDIATHEQUE, Role.TRAINER)]
        specs += [(f"Médiathèque n°{i}", StructureKind.MEDIATHEQUE, Role.TRAINER) for i in range(2, 6)]
        specs += [(f"Association n°{i}", StructureKind.ASSOCIATION, Role.TRAINER) for i in range(1, 6)]
        specs += [(f"Centre social n°{i}", StructureKind.SOCIAL_CENTRE, Role.TRAINER) for i in range(1, 5)]
        specs += [("Agglomération Rhône-Est", StructureKind.AGGLOMERATION, Role.COORDINATOR)]
        self.structures = []
        self.users = {role: [] for role in Role}
        self.staff_of = {}
        user_id = 0
        for pk, (name, kind, role) in enumerate(specs, start=1):
            structure = Structure(pk=pk, name=name, kind=kind, city="Villeurbanne")
            self.structures.append((structure, role))
            self.w.add(structure)
        self.w.flush()
        for structure, role in self.structures:
            self.w.history(structure, when=_aware(self.start - timedelta(days=30)))
            staff = []
            for _n in range(3):
                user_id += 1
                username = {Role.TECHNICIAN: "technicien", Role.TRAINER: "formatrice"}.get(
                    role, "coordinatrice"
                )
                user = User(
                    pk=user_id,
                    username=f"bench-{username}-{user_id}",
                    first_name=self.pick(FIRST_NAMES),
                    last_name=self.pick(LAST_NAMES),
                    structure=structure,
                    is_staff=role == Role.COORDINATOR,
                    password="!",  # unusable: the bench logs in with force_login
                )
                staff.append(user)
                self.users[role].append(user)
                self.w.add(user)
            self.staff_of[structure.pk] = staff
        self.w.flush()
        memberships = [
            User.groups.through(user_id=user.pk, group_id=groups[role].pk)
            for role, users in self.users.items()
            for user in users
        ]
        User.groups.through.objects.bulk_create(memberships)
        self.regies = [s for s, role in self.structures if role == Role.TECHNICIAN]
        self.trainer_structures = [s for s, role in self.structures if role == Role.TRAINER]
        self.coordinator = self.users[Role.COORDINATOR][0]

        # Neighbourhoods: a third are priority areas (QPV).
        self.neighbourhoods = []
        for pk in range(1, self.sizes.neighbourhoods + 1):
            priority = pk % 3 == 0
            hood = Neighbourhood(
                pk=pk, name=f"Quartier {pk:02d}", code=f"QN069{pk:02d}M" if priority else "",
                is_priority=priority,
            )  # fmt: skip
            self.neighbourhoods.append(hood)
            self.w.add(hood)
            self.w.history(hood, when=_aware(self.start), user=self.coordinator)

        donors = []
        for pk in range(1, self.sizes.donors + 1):
            kind = self.pick(list(DonorKind))
            donor = Donor(
                pk=pk, name=f"Donateur {pk:04d} {self.pick(LAST_NAMES)}", kind=kind,
                contact_name=f"{self.pick(FIRST_NAMES)} {self.pick(LAST_NAMES)}",
                email=f"contact{pk}@donateur.example", created_at=self.moment(self.start),
            )  # fmt: skip
            donors.append(donor)
            self.w.add(donor)
            self.w.history(donor, when=donor.created_at, user=self.pick(self.users[Role.TECHNICIAN]))

        # Donations in date order, so later asset tags belong to later donations.
        days = sorted(self.day_between(self.start, self.today) for _ in range(self.sizes.donations))
        self.donations = []
        for pk, day in enumerate(days, start=1):
            regie = self.pick(self.regies)
            actor = self.pick(self.staff_of[regie.pk])
            donation = Donation(
                pk=pk, donor_id=self.pick(donors).pk, received_on=day, site="Siège du donateur",
                structure_id=regie.pk, received_by_id=actor.pk, created_at=self.moment(day),
            )  # fmt: skip
            self.donations.append((donation, actor))
            self.w.add(donation)
            self.w.history(donation, when=donation.created_at, user=actor)
        self.w.flush()

    # Households -------------------------------------------------------------------------------

    def households(self):
        rng = self.rng
        self.household_ids = []
        for pk in range(1, self.sizes.households + 1):
            structure = self.pick(self.trainer_structures)
            actor = self.pick(self.staff_of[structure.pk])
            created = self.moment(self.day_between(self.start, self.today - timedelta(days=20)))
            name = f"{self.pick(FIRST_NAMES)} {self.pick(LAST_NAMES)}"
            phone = (
                f"06 {pk // 1000000 % 100:02d} {pk // 10000 % 100:02d} {pk // 100 % 100:02d} {pk % 100:02d}"
            )
            size = rng.randint(1, 6)
            household = Household(
                pk=pk, contact_name=name, phone=phone, email="", address=f"{pk} rue de la République",
                neighbourhood_id=self.pick(self.neighbourhoods).pk, size=size,
                children=rng.randint(0, size - 1), referred_by=self.pick(ReferredBy.values),
                referring_structure="CCAS", consent_at=created, consent_text="J'accepte que mes données…",
                gender=self.pick(Gender.values + [""]), age_bracket=self.pick(AgeBracket.values + [""]),
                structure_id=structure.pk, created_at=created,
                phone_key=matching.phone_key(phone), name_key=matching.name_key(name),
            )  # fmt: skip
            self.household_ids.append(pk)
            self.w.add(household)
            self.w.history(household, when=created, user=actor)
        self.w.flush()

    # Training ---------------------------------------------------------------------------------

    def training(self):
        rng = self.rng
        sizes = self.sizes
        session_id = enrolment_id = attendance_id = 0
        self.enrolled = []  # (enrolment_id, household_id, course_id, structure_id, ends_on)
        latest = self.today + timedelta(days=60)
        starts = sorted(
            self.day_between(self.start + timedelta(days=90), latest) for _ in range(sizes.courses)
        )
        self.busy_course = None
        for pk, starts_on in enumerate(starts, start=1):
            structure = self.pick(self.trainer_structures)
            trainer = self.pick(self.staff_of[structure.pk])
            ends_on = starts_on + timedelta(weeks=sizes.sessions_per_course)
            created = self.moment(starts_on - timedelta(days=30))
            course = Course(
                pk=pk, structure_id=structure.pk, title=f"Parcours numérique n°{pk}",
                description="Prendre en main un ordinateur.", place=structure.name,
                starts_on=starts_on, ends_on=ends_on, capacity=sizes.enrolments_per_course,
                min_sessions=sizes.sessions_per_course - 1, created_at=created,
            )  # fmt: skip
            self.w.add(course)
            self.w.history(course, when=created, user=trainer)
            sessions = []
            for n in range(sizes.sessions_per_course):
                session_id += 1
                starts_at = _aware(starts_on + timedelta(weeks=n), 14)
                session = Session(
                    pk=session_id, course_id=pk, starts_at=starts_at, duration_minutes=120,
                    topic=self.pick(SessionTopic.values),
                )  # fmt: skip
                sessions.append(session)
                self.w.add(session)
                self.w.history(session, when=created, user=trainer)
            households = rng.sample(
                self.household_ids, min(len(self.household_ids), sizes.enrolments_per_course)
            )
            for index, household_id in enumerate(households):
                enrolment_id += 1
                status = (
                    EnrolmentStatus.WAITING
                    if index == len(households) - 1
                    else EnrolmentStatus.WITHDRAWN
                    if index == len(households) - 2
                    else EnrolmentStatus.ENROLLED
                )
                requested = created + timedelta(hours=index + 1)
                enrolment = Enrolment(
                    pk=enrolment_id, course_id=pk, household_id=household_id, status=status,
                    requested_at=requested, status_changed_at=requested,
                    withdrawal_reason="Déménagement" if status == EnrolmentStatus.WITHDRAWN else "",
                )  # fmt: skip
                self.w.add(enrolment)
                self.w.history(enrolment, when=requested, user=trainer)
                if status != EnrolmentStatus.ENROLLED:
                    continue
                self.enrolled.append((enrolment_id, household_id, pk, structure.pk, ends_on, trainer))
                for session in sessions:
                    if session.starts_at >= self.now:
                        continue
                    attendance_id += 1
                    attendance = Attendance(
                        pk=attendance_id, session_id=session.pk, enrolment_id=enrolment_id,
                        present=rng.random() < 0.88, recorded_at=session.starts_at + timedelta(hours=2),
                    )  # fmt: skip
                    self.w.add(attendance)
                    self.w.history(attendance, when=attendance.recorded_at, user=trainer)
            if (
                self.busy_course is None
                and ends_on < self.today - timedelta(days=30)
                and pk > len(starts) // 2
            ):
                self.busy_course = pk
        self.busy_course = self.busy_course or 1
        self.w.flush()

    # Allocations: planned first, since devices carry their dates ----------------------------------

    def plan_allocations(self):
        """Decide each allocation (household, dates, outcome) and the device it hands over."""
        rng = self.rng
        sizes = self.sizes
        eligible = [e for e in self.enrolled if e[4] < self.today - timedelta(days=3)]
        wanted = int(sizes.allocations * 1.05) + 5
        slots = []
        for i in range(wanted):
            enrolment = eligible[i % len(eligible)]
            round_ = i // len(eligible)
            handover = enrolment[4] + timedelta(days=rng.randint(1, 20) + 120 * round_)
            slots.append((handover, enrolment))
        slots.sort(key=lambda slot: slot[0])

        # Devices are numbered in donation order: walk both lists in date order.
        per_donation = sizes.devices / sizes.donations
        self.device_donation = [min(int(i / per_donation), sizes.donations - 1) for i in range(sizes.devices)]
        self.device_kind = [self._kind() for _ in range(sizes.devices)]
        self.device_kind[TIMELINE_TAG_NUMBER - 1] = DeviceKind.LAPTOP
        self.device_plan = {}  # device index -> allocation plan
        pool = []
        pointer = 0
        plans = []
        for handover, enrolment in slots:
            while pointer < sizes.devices and (
                self.donations[self.device_donation[pointer]][0].received_on <= handover - timedelta(days=45)
            ):
                if self.device_kind[pointer] in COMPUTERS and pointer + 1 != TIMELINE_TAG_NUMBER:
                    pool.append(pointer)
                pointer += 1
            if not pool:
                continue
            index = pool.pop(rng.randrange(len(pool)))
            plans.append((handover, enrolment, index))
            if len(plans) == sizes.allocations:
                break
        self.allocation_plans = []
        self.busy_household = None
        for pk, (handover, enrolment, index) in enumerate(plans, start=1):
            enrolment_id, household_id, course_id, structure_id, ends_on, trainer = enrolment
            reserved_day = min(handover - timedelta(days=rng.randint(1, 9)), self.today - timedelta(days=1))
            roll = rng.random()
            if handover >= self.today - timedelta(days=2):
                status = AllocationStatus.RESERVED
            elif roll < 0.02:
                status = AllocationStatus.CANCELLED
            elif roll < 0.04 and handover < self.today - timedelta(days=200):
                status = AllocationStatus.LOST
            elif roll < 0.20 and handover < self.today - timedelta(days=200):
                status = AllocationStatus.RETURNED
            else:
                status = AllocationStatus.ACTIVE
            kind = AllocationKind.LOAN if rng.random() < 0.3 else AllocationKind.GIFT
            plan = {
                "pk": pk,
                "device": index,
                "enrolment_id": enrolment_id,
                "household_id": household_id,
                "structure_id": structure_id,
                "actor": trainer,
                "kind": kind,
                "status": status,
                "reserved_at": self.moment(reserved_day),
                "handed_over_at": None
                if status in (AllocationStatus.RESERVED, AllocationStatus.CANCELLED)
                else self.moment(handover),
                "closed_at": None,
                "due_on": handover + timedelta(days=365) if kind == AllocationKind.LOAN else None,
            }
            if status == AllocationStatus.CANCELLED:
                plan["closed_at"] = self.moment(handover)
            elif status in (AllocationStatus.RETURNED, AllocationStatus.LOST):
                plan["closed_at"] = self.moment(handover + timedelta(days=rng.randint(60, 180)))
            self.device_plan[index] = plan
            self.allocation_plans.append(plan)
            if self.busy_household is None and status == AllocationStatus.ACTIVE:
                self.busy_household = household_id
        self.busy_household = self.busy_household or 1

    def _kind(self):
        roll = self.rng.randrange(100)
        for kind, weight in KIND_WEIGHTS:
            if roll < weight:
                return kind
            roll -= weight
        return DeviceKind.LAPTOP

    # Devices ------------------------------------------------------------------------------------

    def devices(self):
        self.status_change_id = 0
        self.intervention_id = 0
        self.erasure_id = 0
        for index in range(self.sizes.devices):
            self.device(index)
        self.w.flush()

    def device(self, index):
        pk = index + 1
        donation, receiver = self.donations[self.device_donation[index]]
        kind = self.device_kind[index]
        brand, model = self.pick(MODELS[kind])
        computer = kind in COMPUTERS
        storage_gb = self.pick([128, 256, 500, 1000]) if computer else 0
        created = donation.created_at + timedelta(minutes=index % 600)
        device = Device(
            pk=pk, asset_tag=f"OP-{pk:06d}", donation_id=donation.pk, kind=kind, brand=brand, model=model,
            serial_number=f"SN{pk:08X}{brand[:2].upper()}", cpu=self.pick(CPUS) if computer else "",
            ram_gb=self.pick([4, 8, 8, 16]) if computer else None, storage_gb=storage_gb,
            storage_type=self.pick([StorageType.HDD, StorageType.SSD]) if computer else "",
            operating_system="Linux Mint 21" if computer else "", condition=self.pick(ConditionGrade.values),
            weight_kg=Decimal(WEIGHT[kind]), location=self.pick(LOCATIONS), notes="",
            status=S.COLLECTED, status_changed_at=created, created_at=created, updated_at=created,
        )  # fmt: skip
        technician = self.pick(self.staff_of[donation.structure_id])
        moves = self.moves(index, device, created, technician)
        if moves:
            final_status, final_at = moves[-1][0], moves[-1][1]
            device.status, device.status_changed_at, device.updated_at = final_status, final_at, final_at
        self.w.add(device)
        self.w.history(device, when=created, user=receiver, status=S.COLLECTED, status_changed_at=created,
                       updated_at=created)  # fmt: skip
        self.status_change(device, "", S.COLLECTED, created, receiver)
        previous = S.COLLECTED
        for to, at, actor, note in moves:
            self.status_change(device, previous, to, at, actor, note)
            self.w.history(device, when=at, kind="~", user=actor, reason=note, status=to,
                           status_changed_at=at, updated_at=at)  # fmt: skip
            if to == S.RECONDITIONING:
                self.intervention(device, at + timedelta(hours=2), actor)
            if to == S.READY and storage_gb:
                self.erasure(device, at - timedelta(hours=1), actor)
            previous = to

    def moves(self, index, device, created, technician):
        """The device's moves after collection: ``(to, at, actor, note)`` in time order."""
        rng = self.rng
        day = lambda at, low, high: at + timedelta(days=rng.randint(low, high), hours=rng.randint(0, 5))  # noqa: E731
        if index + 1 == TIMELINE_TAG_NUMBER:
            return self.long_life(created, technician)
        plan = self.device_plan.get(index)
        limit = self.now - timedelta(hours=1)
        path = []
        at = created
        for to in (S.DIAGNOSIS, S.RECONDITIONING, S.READY):
            at = day(at, 1, 10)
            if at >= limit:
                return path
            path.append((to, at, technician, ""))
        if plan is None:
            age = (self.now - at).days
            roll = rng.random()
            if age > 60 and roll < 0.4:
                path.append((S.RECYCLED, day(at, 10, 50), technician, "Lot pour la filière DEEE"))
            elif age > 60 and roll < 0.5:
                path.append((S.DESTROYED, day(at, 10, 50), technician, "Hors d'usage"))
            return [move for move in path if move[1] < limit]
        actor = plan["actor"]
        number = f"{plan['pk']:05d}"
        path.append((S.RESERVED, plan["reserved_at"], actor, f"Réservé : attribution n° {number}"))
        if plan["status"] == AllocationStatus.CANCELLED:
            path.append((S.READY, plan["closed_at"], actor, f"Réservation annulée : attribution n° {number}"))
        elif plan["handed_over_at"] is not None:
            path.append((S.ALLOCATED, plan["handed_over_at"], actor, f"Remis : attribution n° {number}"))
            if plan["status"] == AllocationStatus.RETURNED:
                back = plan["closed_at"]
                path.append((S.RETURNED, back, actor, f"Rendu : attribution n° {number}"))
                path.append((S.DIAGNOSIS, back + timedelta(minutes=1), actor, "Retour pour contrôle"))
                if rng.random() < 0.5:
                    path.append((S.RECYCLED, day(back, 10, 40), technician, "Lot pour la filière DEEE"))
            elif plan["status"] == AllocationStatus.LOST:
                path.append((S.LOST, plan["closed_at"], actor, "Déclaré volé"))
        # Keep the plan consistent: a move in the future is not made yet.
        return [move for move in path if move[1] < limit]

    def long_life(self, created, technician):
        """Ten years in and out of the workshop: 140 moves, 40 interventions, 20 erasures."""
        statuses = [S.DIAGNOSIS] + [S.RECONDITIONING, S.DIAGNOSIS] * 68 + [S.RECONDITIONING, S.READY]
        span = (self.now - timedelta(days=2) - created).total_seconds()
        step = span / (len(statuses) + 1)
        moves = [
            (to, created + timedelta(seconds=step * (i + 1)), technician, "") for i, to in enumerate(statuses)
        ]
        # Each move to reconditioning adds an intervention in ``device``: ``intervention()``
        # keeps 40 of them and adds the erasures, for 200 events in all.
        return moves

    def status_change(self, device, from_status, to_status, at, actor, note=""):
        self.status_change_id += 1
        self.w.add_row(
            StatusChange,
            {
                "id": self.status_change_id, "device_id": device.pk, "from_status": from_status,
                "to_status": to_status, "note": note, "actor_id": actor.pk, "actor_name": _name(actor), "at": at,
            },
        )  # fmt: skip

    def intervention(self, device, at, actor):
        if device.pk == TIMELINE_TAG_NUMBER:
            # The long timeline: 140 moves + 40 interventions + 20 erasures = 200 events.
            self._long_interventions = getattr(self, "_long_interventions", 0) + 1
            if self._long_interventions > 40:
                return
            if self._long_interventions <= 19:
                self.erasure(device, at + timedelta(hours=1), actor)
        self.intervention_id += 1
        item = Intervention(
            pk=self.intervention_id, device_id=device.pk, kind=InterventionKind.OS_INSTALL,
            description="Nettoyage, installation de Linux Mint, tests.", parts_used="",
            minutes=self.rng.choice([30, 45, 60, 90]), performed_by_id=actor.pk,
            performed_by_name=_name(actor), performed_at=at,
        )  # fmt: skip
        self.w.add(item)
        self.w.history(item, when=at, user=actor)

    def erasure(self, device, at, actor):
        self.erasure_id += 1
        item = Erasure(
            pk=self.erasure_id, device_id=device.pk, method=ErasureMethod.OVERWRITE,
            standard="NIST SP 800-88 Clear", tool="nwipe", drive_serial=f"DRV{device.pk:08d}-{self.erasure_id}",
            result=ErasureResult.PASSED, performed_at=at, operator_id=actor.pk, operator_name=_name(actor),
        )  # fmt: skip
        self.w.add(item)
        self.w.history(item, when=at, user=actor)

    # Allocations --------------------------------------------------------------------------------

    def allocations(self):
        rng = self.rng
        follow_up_id = 0
        for plan in self.allocation_plans:
            actor = plan["actor"]
            allocation = Allocation(
                pk=plan["pk"], household_id=plan["household_id"], enrolment_id=plan["enrolment_id"],
                structure_id=plan["structure_id"], kind=plan["kind"], due_on=plan["due_on"],
                status=AllocationStatus.RESERVED, reserved_at=plan["reserved_at"], reserved_by_id=actor.pk,
            )  # fmt: skip
            self.w.history(allocation, when=plan["reserved_at"], user=actor)
            handed = plan["handed_over_at"]
            if handed is not None:
                allocation.status = AllocationStatus.ACTIVE
                allocation.handed_over_at = handed
                allocation.handed_over_by_id = actor.pk
                self.w.history(allocation, when=handed, kind="~", user=actor)
            if plan["status"] != allocation.status:
                allocation.status = plan["status"]
                allocation.closed_at = plan["closed_at"]
                if plan["status"] == AllocationStatus.RETURNED:
                    allocation.return_condition = self.pick(ReturnCondition.values)
                self.w.history(allocation, when=plan["closed_at"], kind="~", user=actor)
            self.w.add(allocation)
            is_open = plan["status"] in (AllocationStatus.RESERVED, AllocationStatus.ACTIVE)
            self.w.add(AllocationItem(pk=plan["pk"], allocation_id=plan["pk"], device_id=plan["device"] + 1,
                                      is_open=is_open))  # fmt: skip
            if handed is not None and handed < self.now - timedelta(days=100) and rng.random() < 0.7:
                follow_up_id += 1
                contacted = timezone.localdate(handed) + timedelta(days=rng.randint(90, 120))
                reached = rng.random() < 0.8
                follow_up = FollowUp(
                    pk=follow_up_id, allocation_id=plan["pk"], contacted_on=contacted, reached=reached,
                    in_use=(rng.random() < 0.9) if reached else None,
                    uses=rng.sample(DeviceUse.values, 2) if reached else [],
                    problem="" if rng.random() < 0.9 else "L'écran clignote", needs_repair=False,
                    recorded_by_id=actor.pk, recorded_by_name=_name(actor), created_at=self.moment(contacted),
                )  # fmt: skip
                self.w.add(follow_up)
                self.w.history(follow_up, when=follow_up.created_at, user=actor)
        self.w.flush()


def generate(scale: float, seed: int = DEFAULT_SEED, log=print) -> Dataset:
    """Fill the (empty, migrated) current database; return what the measures need."""
    import gc

    gc.disable()
    try:
        return Generator(scale, seed, log).build()
    finally:
        gc.enable()
