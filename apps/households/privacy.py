"""Personal data of households under the GDPR: retention, anonymisation and export.

One anonymisation path for everything: the retention command (``anonymise_households``),
the coordinator's "erase on request" button and scripts all call ``anonymise_household``.
It blanks the personal fields and keeps what the funders' figures count (neighbourhood,
size, children, gender, age bracket, referral, structure, dates), then scrubs the same
fields in the household's history rows and the free text written about it on allocations,
follow-ups and enrolments (a withdrawal's reason), in their history rows and change reasons
too.
"""

import calendar
from datetime import date, datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.forms.models import model_to_dict
from django.utils import timezone

from apps.core.history import with_actor

from .models import Household

ANONYMOUS_NAME = "Foyer anonymisé #%(pk)s"
# A withdrawal keeps a reason (the database requires one): this one, once the household is
# anonymised.
ERASED_WITHDRAWAL_REASON = "Motif effacé (foyer anonymisé)"
# Blanked on the household and in every one of its history rows.
PERSONAL_FIELDS = ("phone", "email", "address", "notes", "consent_text")
# Free text typed about the household elsewhere: replaced, where there was any, by this
# wording, not blanked, since reports count what is filled in (hand-overs before the rule
# is met, follow-ups that reported a problem) and the counts must not change.
ALLOCATION_TEXT_FIELDS = ("notes", "override_reason", "closing_note")
FOLLOW_UP_TEXT_FIELDS = ("problem", "notes")
ERASED_TEXT = "Texte effacé (foyer anonymisé)"


def subtract_months(day, months):
    """``day`` minus ``months`` calendar months, clamped to the end of a shorter month."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retention_cutoff(today=None):
    today = today or timezone.localdate()
    return subtract_months(today, settings.HOUSEHOLD_RETENTION_MONTHS)


def _as_date(value):
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def last_activity(household):
    """The last day anything happened with the household: its registration, the end of its
    last course, the last reservation, hand-over, return or follow-up of its allocations.
    Reads the annotations of ``households_past_retention`` when present."""
    values = [
        household.created_at,
        getattr(household, "last_course_end", None),
        getattr(household, "last_reserved", None),
        getattr(household, "last_handed_over", None),
        getattr(household, "last_closed", None),
        getattr(household, "last_follow_up", None),
    ]
    return max(d for d in map(_as_date, values) if d is not None)


def households_past_retention(today=None):
    """Households not yet anonymised whose last activity is older than the retention period
    (``HOUSEHOLD_RETENTION_MONTHS``), in one query.

    Never one that still holds a device on loan (handed over, not yet back), overdue or not:
    its details are what the device is chased back with. A gift stays "handed over" for
    good and does not hold it back."""
    from apps.allocations.choices import AllocationKind, AllocationStatus
    from apps.allocations.models import Allocation

    cutoff = retention_cutoff(today)
    on_loan = Allocation.objects.filter(
        household=OuterRef("pk"), kind=AllocationKind.LOAN, status=AllocationStatus.ACTIVE
    )
    candidates = (
        Household.objects.filter(anonymised_at__isnull=True)
        .exclude(Exists(on_loan))
        .annotate(
            last_course_end=Max("enrolments__course__ends_on"),
            last_reserved=Max("allocations__reserved_at"),
            last_handed_over=Max("allocations__handed_over_at"),
            last_closed=Max("allocations__closed_at"),
            last_follow_up=Max("allocations__follow_ups__contacted_on"),
        )
        .order_by("pk")
    )
    return [household for household in candidates if last_activity(household) < cutoff]


@transaction.atomic
def anonymise_household(household, *, actor, reason):
    """Blank the personal data of ``household`` everywhere, keeping the counts. Idempotent:
    a second call scrubs again (harmless) and keeps the first date of anonymisation.

    Its open reservations are cancelled: no device is handed over to a household whose
    details are gone (``allocations.services.reserve`` refuses a new one), and the devices
    set aside for it are ready for another household instead of waiting for nobody."""
    from apps.allocations import services as allocation_services
    from apps.allocations.choices import AllocationStatus
    from apps.allocations.models import Allocation, FollowUp
    from apps.training.models import Enrolment

    # The lock a reservation takes first too: the two are served one after the other.
    household = Household.objects.select_for_update().get(pk=household.pk)
    # The change reasons of its allocations' and enrolments' history may repeat what someone
    # typed about the household (an override's reason, a note on a cancellation or a
    # conversion, a withdrawal's reason, and, in rows written before they stayed on the
    # allocation, a return's or a loss's note): blanked in every row written so far, before this
    # anonymisation writes its own rows, which say why (a second call blanks the first's
    # too; the household's own history still says why). History tables are the one
    # exception to "no queryset.update() on tracked models": the point is to rewrite the
    # past rows themselves, not to add a new one.
    for model in (Allocation, Enrolment):
        model.history.filter(household_id=household.pk).update(history_change_reason=None)
    for reservation in Allocation.objects.filter(household=household, status=AllocationStatus.RESERVED):
        allocation_services.cancel(reservation, actor=actor, note=reason or "anonymised")
    name = ANONYMOUS_NAME % {"pk": household.pk}
    personal = {"contact_name": name, **dict.fromkeys(PERSONAL_FIELDS, "")}
    if household.anonymised_at is None:
        for field, value in personal.items():
            setattr(household, field, value)
        household.phone_key = ""
        household.name_key = ""
        household.anonymised_at = timezone.now()
        # No full_clean(): a blank phone and consent are what anonymised means.
        with_actor(household, actor, reason or "anonymised").save()
    Household.history.filter(id=household.pk).update(**personal)

    for allocation in Allocation.objects.filter(household=household).select_for_update():
        _erase_texts(allocation, ALLOCATION_TEXT_FIELDS, actor=actor, reason=reason)
    for follow_up in FollowUp.objects.filter(allocation__household=household).select_for_update():
        _erase_texts(follow_up, FOLLOW_UP_TEXT_FIELDS, actor=actor, reason=reason)
    for enrolment in Enrolment.objects.filter(household=household).select_for_update():
        _erase_texts(
            enrolment, ("withdrawal_reason",), actor=actor, reason=reason, wording=ERASED_WITHDRAWAL_REASON
        )
    return household


def _erase_texts(record, fields, *, actor, reason, wording=ERASED_TEXT):
    """Replace what was typed in ``fields`` of ``record`` by ``wording``, in the record (one
    new history row, the first time only) and in every one of its history rows."""
    erased = [field for field in fields if getattr(record, field) not in ("", wording)]
    if erased:
        for field in erased:
            setattr(record, field, wording)
        with_actor(record, actor, reason or "anonymised").save()
    past = type(record).history.filter(id=record.pk)
    for field in fields:
        past.exclude(**{field: ""}).update(**{field: wording})


def anonymise_past_retention(*, actor=None, dry_run=False, today=None):
    """Anonymise every household past the retention period; returns them."""
    households = households_past_retention(today)
    if not dry_run:
        for household in households:
            anonymise_household(household, actor=actor, reason="retention")
    return households


# Export ---------------------------------------------------------------------------------


def _row(instance, exclude=()):
    data = model_to_dict(instance, exclude=exclude)
    data["id"] = instance.pk
    for field in instance._meta.concrete_fields:
        if field.name not in exclude and not field.editable:
            data[field.name] = getattr(instance, field.attname)
    return data


def _history_rows(model, **filters):
    rows = []
    for record in model.history.filter(**filters).order_by("history_date", "history_id"):
        rows.append(
            {
                **{f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields},
            }
        )
    return rows


def export_household(household):
    """Everything held about ``household``, as a JSON-ready dict: its fields, its
    enrolments with attendance, its allocations with the devices' asset tags, the
    follow-ups, and the history rows of all of them."""
    from apps.allocations.models import Allocation, FollowUp
    from apps.training.models import Attendance, Enrolment

    enrolments = []
    for enrolment in Enrolment.objects.filter(household=household).select_related("course__structure"):
        row = _row(enrolment)
        row["course"] = {
            "id": enrolment.course_id,
            "title": enrolment.course.title,
            "structure": str(enrolment.course.structure),
            "starts_on": enrolment.course.starts_on,
            "ends_on": enrolment.course.ends_on,
        }
        row["attendance"] = [
            {"session": a.session_id, "starts_at": a.session.starts_at, "present": a.present}
            for a in Attendance.objects.filter(enrolment=enrolment).select_related("session")
        ]
        row["history"] = _history_rows(Enrolment, id=enrolment.pk)
        enrolments.append(row)
    allocations = []
    for allocation in Allocation.objects.filter(household=household).prefetch_related("items__device"):
        row = _row(allocation)
        row["devices"] = [
            {"asset_tag": item.device.asset_tag, "kind": item.device.kind} for item in allocation.items.all()
        ]
        row["follow_ups"] = [
            {**_row(f), "history": _history_rows(FollowUp, id=f.pk)}
            for f in FollowUp.objects.filter(allocation=allocation)
        ]
        row["history"] = _history_rows(Allocation, id=allocation.pk)
        allocations.append(row)
    return {
        "exported_at": timezone.now(),
        "household": _row(household, exclude=("phone_key", "name_key")),
        "neighbourhood": str(household.neighbourhood),
        "structure": str(household.structure),
        "history": _history_rows(Household, id=household.pk),
        "enrolments": enrolments,
        "allocations": allocations,
    }


def export_household_json(household):
    import json

    return json.dumps(export_household(household), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
