"""The audit trail: who changed what, when, read from the django-simple-history tables.

Every tracked kind of record keeps its own history table. ``history_page()`` reads them as
one feed, newest first, with keyset pagination: each page asks every table for its next
rows past a cursor (an indexed range on ``history_date``), so a page costs the same on the
first day and after a million changes, and no query counts the whole trail. Each row is
compared with the previous row of the same record (fetched for the whole page at once) to
say what changed, before → after.

Personal fields are masked by ``mask_personal()`` for whoever may not see that household;
any screen that shows history rows can call it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import OuterRef, Q, Subquery
from django.db.models.fields.files import FieldFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.ids import is_id

PAGE_SIZE = 50
MASK = "•••"
# Bookkeeping that changes with every save and says nothing a person decided.
IGNORED_FIELDS = frozenset({"updated_at", "status_changed_at", "created_at", "phone_key", "name_key"})
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Kind:
    """A kind of record whose changes the audit shows."""

    key: str
    label: str
    model_path: str
    personal_fields: frozenset = frozenset()
    # On the history page of one record of this kind, also the changes to these related
    # records: ``(kind key, name of their field that points to this record)``.
    related: tuple = ()

    @cached_property
    def model(self):
        return apps.get_model(self.model_path)

    @cached_property
    def history_model(self):
        # ``Model.history`` builds a new manager class on each access (simple-history's
        # descriptor calls ``from_queryset``): 0.6 ms, a dozen times per page.
        return self.model.history.model


KINDS = {
    kind.key: kind
    for kind in (
        Kind("device", gettext_lazy("Device"), "devices.Device",
             related=(("intervention", "device_id"), ("erasure", "device_id"))),
        Kind("donation", gettext_lazy("Donation"), "devices.Donation"),
        Kind("household", gettext_lazy("Household"), "households.Household",
             personal_fields=frozenset({"contact_name", "phone", "email", "address", "notes", "consent_text",
                                        "phone_key", "name_key"})),
        Kind("enrolment", gettext_lazy("Enrolment"), "training.Enrolment"),
        Kind("allocation", gettext_lazy("Allocation"), "allocations.Allocation"),
        Kind("course", gettext_lazy("Course"), "training.Course"),
        Kind("intervention", gettext_lazy("Intervention"), "devices.Intervention"),
        Kind("erasure", gettext_lazy("Erasure"), "devices.Erasure"),
    )
}  # fmt: skip
RANK = {key: rank for rank, key in enumerate(KINDS)}
KIND_KEYS = list(KINDS)


@dataclass
class Change:
    """One field's change, shown as text (``before`` → ``after``); ``model_field`` keeps the
    field so a page can name the records its foreign keys point to."""

    field: str
    label: str
    before: object
    after: object
    model_field: object = None


@dataclass
class Entry:
    """One row of history: a record created (+), changed (~) or deleted (-)."""

    kind: Kind
    record: object  # the historical instance
    changes: list = field(default_factory=list)
    device_tag: str = ""
    masked: bool = False

    @property
    def when(self):
        return self.record.history_date

    @property
    def who(self):
        return self.record.history_actor_name

    @property
    def type(self):
        return self.record.history_type

    @property
    def type_label(self):
        return {"+": _("created"), "~": _("changed"), "-": _("deleted")}.get(self.type, self.type)

    @property
    def reason(self):
        return self.record.history_change_reason or ""

    @property
    def object_id(self):
        return self.record.id

    @property
    def title(self):
        r = self.record
        titles = {
            "device": lambda: r.asset_tag,
            "donation": lambda: _("Donation %(number)s") % {"number": f"{r.received_on:%Y}-{r.id:04d}"},
            "household": lambda: (_("Household no. %(id)s") % {"id": r.id}) if self.masked else r.contact_name,
            "enrolment": lambda: _("Enrolment of household no. %(household)s in course no. %(course)s")
            % {"household": r.household_id, "course": r.course_id},
            "allocation": lambda: _("Allocation no. %(number)s") % {"number": f"{r.id:05d}"},
            "course": lambda: r.title,
            "intervention": lambda: _("%(kind)s on %(tag)s") % {"kind": r.get_kind_display(), "tag": self.device_tag},
            "erasure": lambda: _("Erasure on %(tag)s") % {"tag": self.device_tag},
        }  # fmt: skip
        return titles[self.kind.key]()

    @cached_property
    def url(self):  # the page asks twice; ``device_tag`` is set by then (``_describe``)
        r = self.record
        try:
            if self.kind.key == "device":
                return reverse("devices:device_detail", args=[r.asset_tag])
            if self.kind.key in {"intervention", "erasure"}:
                return reverse("devices:device_detail", args=[self.device_tag]) if self.device_tag else None
            if self.kind.key == "donation":
                return reverse("devices:donation_detail", args=[r.id])
            if self.kind.key == "household":
                return reverse("households:household_detail", args=[r.id])
            if self.kind.key == "enrolment":
                return reverse("training:course_detail", args=[r.course_id]) + f"#enrolment-{r.id}"
            if self.kind.key == "allocation":
                return reverse("allocations:allocation_detail", args=[r.id])
            if self.kind.key == "course":
                return reverse("training:course_detail", args=[r.id])
        except NoReverseMatch:
            return None
        return None

    @property
    def history_url(self):
        return reverse("reports:object_history", args=[self.kind.key, self.record.id])

    @property
    def cursor(self):
        return encode_cursor(self)


@dataclass
class HistoryPage:
    entries: list
    newer: str | None  # cursor for the page of more recent changes
    older: str | None  # cursor for the page of earlier changes


# Cursors ------------------------------------------------------------------------------------


def encode_cursor(entry):
    """Position of ``entry`` in the feed: its instant in microseconds, its kind, its row id."""
    delta = entry.when - EPOCH
    micros = (delta.days * 86400 + delta.seconds) * 10**6 + delta.microseconds
    return f"{micros}.{RANK[entry.kind.key]}.{entry.record.history_id}"


def decode_cursor(text):
    try:
        micros, rank, history_id = (int(part) for part in (text or "").split("."))
        if not is_id(history_id) or not 0 <= rank < len(KINDS):
            return None  # forged: SQLite cannot compare a column with a number past 64 bits
        return EPOCH + timedelta(microseconds=micros), rank, history_id
    except (ValueError, OverflowError):
        return None


def _past(cursor, rank, *, older):
    """Rows of the kind ranked ``rank`` that come after ``cursor`` in the feed's order
    (instant, kind, row id), going back in time when ``older``, forward otherwise."""
    at, cursor_rank, history_id = cursor
    before, after = ("lt", "gt") if older else ("gt", "lt")
    if rank == cursor_rank:
        return Q(**{f"history_date__{before}": at}) | Q(
            history_date=at, **{f"history_id__{before}": history_id}
        )
    if (rank < cursor_rank) == older:
        return Q(**{f"history_date__{before}e": at})
    return Q(**{f"history_date__{before}": at})


# The feed -----------------------------------------------------------------------------------


def _local_midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def history_page(
    *, kinds=None, actor=None, since=None, until=None, record=None, cursor="", newer=False, size=PAGE_SIZE
):
    """One page of the audit trail, newest first.

    ``kinds``: keys of ``KINDS`` (all by default); ``actor``: a user; ``since``/``until``:
    dates, both included (Paris time); ``record``: ``(kind key, pk)`` for one record's own
    history (with its related records); ``cursor``: from a previous page, read towards the
    past, or towards the present when ``newer``. Runs a fixed number of queries per page:
    one for where the candidates of every kind stand, one per kind on the page (its rows and
    their previous versions), one per kind of record the changes name, one for device tags.
    """
    position = decode_cursor(cursor) if cursor else None
    newer = newer and position is not None
    filters = {}
    if record is not None:
        kind_key, pk = record
        filters[kind_key] = Q(id=pk)
        for related_key, field_name in KINDS[kind_key].related:
            filters[related_key] = Q(**{field_name: pk})
    else:
        for key in kinds or KINDS:
            filters[key] = Q()
    common = Q()
    if actor is not None:
        common &= Q(history_user=actor)
    if since is not None:
        common &= Q(history_date__gte=_local_midnight(since))
    if until is not None:
        common &= Q(history_date__lt=_local_midnight(until + timedelta(days=1)))

    order = ("history_date", "history_id") if newer else ("-history_date", "-history_id")
    # First the place of each candidate in the feed (its instant, kind and id), then the
    # whole rows of the page's entries only: reading whole rows for every kind was 400
    # historical records built for a page of 50.
    arms = []
    for key, condition in filters.items():
        queryset = KINDS[key].history_model.objects.filter(common, condition)
        if position is not None:
            queryset = queryset.filter(_past(position, RANK[key], older=not newer))
        arms.append(
            (RANK[key], queryset.order_by(*order).values_list("history_date", "history_id")[: size + 1])
        )
    places = _merged(arms, descending=not newer, limit=size + 1)
    more = len(places) > size
    chosen = [(rank, history_id) for _when, rank, history_id in places[:size]]
    if newer:
        chosen.reverse()
    entries = _entries(chosen)
    _describe(entries)
    if not entries:
        return HistoryPage([], None, None)
    has_newer = more if newer else position is not None
    has_older = True if newer else more
    return HistoryPage(
        entries,
        newer=encode_cursor(entries[0]) if has_newer else None,
        older=encode_cursor(entries[-1]) if has_older else None,
    )


def _merged(arms, *, descending, limit):
    """The first ``limit`` places in the feed's order (instant, kind rank, history id) among
    ``arms``, pairs of a kind's rank and its queryset of ``(history_date, history_id)``, each
    ordered and sliced: one query, a ``UNION ALL`` of them. Django refuses to combine sliced
    querysets on SQLite, so the statement is put together from each arm's own SQL; values
    travel only as the database's parameters."""
    if not arms:
        return []
    using = arms[0][1].db
    connection = connections[using]
    when, history_id = connection.ops.quote_name("history_date"), connection.ops.quote_name("history_id")
    statements, params = [], []
    for number, (rank, queryset) in enumerate(arms):
        try:
            sql, arm_params = queryset.query.get_compiler(using=using).as_sql()
        except EmptyResultSet:  # a filter nothing can match: no candidate of this kind
            continue
        statements.append(f"SELECT {when}, {int(rank)}, {history_id} FROM ({sql}) arm{number}")
        params.extend(arm_params)
    if not statements:
        return []
    direction = "DESC" if descending else "ASC"
    order = f" ORDER BY 1 {direction}, 2 {direction}, 3 {direction} LIMIT {int(limit)}"
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(statements) + order, params)
        return cursor.fetchall()


def _entries(chosen):
    """The page's entries, in the order of ``chosen`` (kind rank, history id), each with the
    row of its record's previous version: one query per kind on the page, reading both."""
    ids_by_kind = defaultdict(list)
    for rank, history_id in chosen:
        ids_by_kind[KIND_KEYS[rank]].append(history_id)
    versions = {}
    for key, ids in ids_by_kind.items():
        history = KINDS[key].history_model.objects
        before = history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by(
            "-history_id"
        )
        previous_ids = history.filter(history_id__in=ids).values(
            previous_id=Subquery(before.values("history_id")[:1])
        )
        # Two arms rather than one ``OR``: PostgreSQL cannot serve ``IN (subquery)`` under an
        # ``OR`` from an index, and walked the whole table by date.
        rows = (
            history.filter(history_id__in=ids)
            .order_by()
            .union(history.filter(history_id__in=previous_ids).order_by(), all=True)
        )
        read = {row.history_id: row for row in rows}  # an entry can be another's previous row
        # The query read exactly each entry's previous row, so the row before an entry is
        # the latest earlier row of the same record among those read.
        wanted, latest = set(ids), {}
        for history_id in sorted(read):
            row = read[history_id]
            if history_id in wanted:
                versions[key, history_id] = (row, latest.get(row.id))
            latest[row.id] = row
    entries = []
    for rank, history_id in chosen:
        key = KIND_KEYS[rank]
        if (key, history_id) in versions:
            row, previous = versions[key, history_id]
            entries.append(Entry(KINDS[key], row, changes_of(row, previous)))
    return entries


def _describe(entries):
    """Name what the page's changes point to, and the asset tag of the device an
    intervention or erasure was on."""
    by_kind = defaultdict(list)
    for entry in entries:
        by_kind[entry.kind.key].append(entry)
    _show_page(entries)
    device_ids = {e.record.device_id for key in ("intervention", "erasure") for e in by_kind.get(key, [])}
    if device_ids:
        tags = dict(
            apps.get_model("devices.Device").objects.filter(pk__in=device_ids).values_list("pk", "asset_tag")
        )
        for key in ("intervention", "erasure"):
            for entry in by_kind.get(key, []):
                entry.device_tag = tags.get(entry.record.device_id, f"#{entry.record.device_id}")


# What changed -------------------------------------------------------------------------------


def _fields(record):
    return [f for f in record.tracked_fields if f.name not in IGNORED_FIELDS]


def changes_of(record, previous):
    """What ``record`` (a historical row) changed since ``previous`` (the row before it, or
    ``None``): a list of ``Change``. A creation lists the values it was given.

    Uses simple-history's ``diff_against`` for the fields it compares; it leaves out fields a
    form cannot edit (a device's status, an allocation's hand-over time...), which are the
    ones an audit needs most, so those are compared here as well.
    """
    fields = _fields(record)
    if record.history_type == "-":
        return []
    if previous is None:
        if record.history_type != "+":
            return []
        return [
            _change(f, None, f.value_from_object(record))
            for f in fields
            if f.value_from_object(record) not in (None, "") and not f.primary_key
        ]
    editable = {f.name for f in fields if record._meta.get_field(f.name).editable}
    delta = record.diff_against(previous, included_fields=editable)
    changed = {change.field: (change.old, change.new) for change in delta.changes}
    for f in fields:
        if f.name not in editable and not f.primary_key:
            old, new = f.value_from_object(previous), f.value_from_object(record)
            if old != new:
                changed[f.name] = (old, new)
    by_name = {f.name: f for f in fields}
    return [_change(by_name[name], old, new) for name, (old, new) in sorted(changed.items())]


def _change(model_field, before, after):
    """A change with its raw values; ``_show_page`` turns them into text."""
    return Change(model_field.name, str(model_field.verbose_name), before, after, model_field)


# The records that foreign keys point to, named by this field. Others show as a number: a
# household's name is personal, and some names would cost a query each.
NAMED_RELATIONS = {
    "accounts.structure": "name",
    "households.neighbourhood": "name",
    "training.course": "title",
    "devices.donor": "name",
}


def _show_page(entries):
    """Turn the raw values of every change on the page into text, naming the records their
    foreign keys point to: one query per kind of record pointed to."""
    wanted = defaultdict(set)
    for entry in entries:
        for change in entry.changes:
            related = getattr(change.model_field, "related_model", None)
            if related is not None:
                wanted[related._meta.label_lower] |= {change.before, change.after} - {None, ""}
    names = {}
    user_label = get_user_model()._meta.label_lower
    for label, ids in wanted.items():
        model = apps.get_model(label)
        if label == user_label:
            rows = model.objects.filter(pk__in=ids).values_list("pk", "first_name", "last_name", "username")
            names.update(
                {(label, pk): f"{first} {last}".strip() or username for pk, first, last, username in rows}
            )
        elif label in NAMED_RELATIONS:
            rows = model.objects.filter(pk__in=ids).values_list("pk", NAMED_RELATIONS[label])
            names.update({(label, pk): name for pk, name in rows})
    for entry in entries:
        for change in entry.changes:
            change.before = _show(change.model_field, change.before, names)
            change.after = _show(change.model_field, change.after, names)


def _show(model_field, value, names=None):
    if isinstance(value, FieldFile):
        value = value.name
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return (names or {}).get((model_field.related_model._meta.label_lower, value), f"#{value}")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


# Personal data ---------------------------------------------------------------------------------


def visible_personal_ids(user, kind, ids):
    """Of the records ``ids`` of ``kind``, those whose personal fields ``user`` may read."""
    if not kind.personal_fields:
        return set(ids)
    if kind.key == "household":
        from apps.households.selectors import visible_household_ids

        if user.has_perm("households.view_all_households"):
            return set(ids)
        return visible_household_ids(user, ids)
    return set()


def mask_personal(entries, user):
    """Hide the personal fields of the records ``user`` may not see in ``entries`` (values
    and the record's name). One query per kind that has personal fields. Returns ``entries``."""
    by_kind = defaultdict(list)
    for entry in entries:
        if entry.kind.personal_fields:
            by_kind[entry.kind.key].append(entry)
    for key, kind_entries in by_kind.items():
        kind = KINDS[key]
        visible = visible_personal_ids(user, kind, {e.object_id for e in kind_entries})
        for entry in kind_entries:
            if entry.object_id in visible:
                continue
            entry.masked = True
            entry.changes = [
                Change(c.field, c.label, MASK, MASK) if c.field in kind.personal_fields else c
                for c in entry.changes
            ]
    return entries
