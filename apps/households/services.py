"""Writes on households and neighbourhoods. Screens, API and demo data all come through here."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import ConflictError, DomainError
from apps.core.history import with_actor

from . import selectors
from .matching import name_key, phone_key
from .models import Household, Neighbourhood

# What a trainer types about a household, in the order of the form; the rest (structure,
# dates, anonymisation) is set by the programme itself. The form and the API use this list.
HOUSEHOLD_FIELDS = (
    "contact_name",
    "phone",
    "email",
    "address",
    "neighbourhood",
    "size",
    "children",
    "referred_by",
    "referring_structure",
    "no_computer_at_home",
    "gender",
    "age_bracket",
    "consent_at",
    "consent_text",
    "notes",
)
EDITABLE_NEIGHBOURHOOD_FIELDS = frozenset({"name", "code", "is_priority"})


class LikelyDuplicateError(ConflictError):
    """The household looks already registered (same phone, or same name in the same
    neighbourhood), perhaps by another structure. ``duplicates`` lists the matches; who may
    be shown which of them is for the caller to decide (``selectors.duplicates_visible_to``)."""

    default_code = "likely_duplicate"

    def __init__(self, message, *, duplicates):
        super().__init__(message)
        self.duplicates = duplicates
        self.visible_ids = []

    def as_dict(self):
        return {**super().as_dict(), "duplicates": self.visible_ids}


@transaction.atomic
def register_household(
    *,
    actor,
    structure,
    contact_name,
    phone,
    neighbourhood,
    size,
    referred_by,
    consent_text,
    consent_at=None,
    email="",
    address="",
    children=0,
    referring_structure="",
    no_computer_at_home=True,
    gender="",
    age_bracket="",
    notes="",
    confirm_duplicate=False,
):
    """Register a household for ``structure``, the partner whose staff met the family.

    Refuses with ``LikelyDuplicateError`` when a household with the same phone, or the same
    name in the same neighbourhood, exists in any structure, unless ``confirm_duplicate``:
    the person registering has checked it is another family.
    """
    if structure is None:
        raise DomainError(
            _("Your account is not attached to a partner structure; ask your coordinator."),
            code="no_structure",
        )
    household = Household(
        structure=structure,
        contact_name=contact_name,
        phone=phone,
        email=email,
        address=address,
        neighbourhood=neighbourhood,
        size=size,
        children=children,
        referred_by=referred_by,
        referring_structure=referring_structure,
        no_computer_at_home=no_computer_at_home,
        consent_at=consent_at or timezone.now(),
        consent_text=consent_text,
        gender=gender,
        age_bracket=age_bracket,
        notes=notes,
    )
    _refresh_matching_keys(household)
    household.full_clean()
    duplicates = list(selectors.likely_duplicates_of(household))
    if duplicates and not confirm_duplicate:
        raise LikelyDuplicateError(
            _(
                "This household may already be registered: a household with the same phone "
                "number, or the same name in the same neighbourhood, exists. Check it is "
                "another family, then confirm to register it anyway."
            ),
            duplicates=duplicates,
        )
    # The audit keeps that someone chose to register it despite the warning.
    reason = "registered despite a likely duplicate" if duplicates else ""
    with_actor(household, actor, reason).save()
    return household


@transaction.atomic
def update_household(household, *, actor, reason="", **fields):
    """Change the details of a household; only ``HOUSEHOLD_FIELDS`` may be given. Returns the
    household as saved."""
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise TypeError(f"update_household() cannot change {sorted(unknown)}")
    # Re-read under the row lock the anonymisation takes: an edit opened before an erasure
    # must not save the erased details back (nor clear ``anonymised_at``) from its old copy.
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.anonymised_at is not None:
        raise ConflictError(_("This household has been anonymised; it cannot be changed."), code="anonymised")
    for name, value in fields.items():
        setattr(household, name, value)
    _refresh_matching_keys(household)
    household.full_clean()
    with_actor(household, actor, reason).save()
    return household


def _refresh_matching_keys(household):
    # Cut to their columns: a key can be longer than the text it comes from (« œ » is "oe").
    for field, key in (
        ("phone_key", phone_key(household.phone)),
        ("name_key", name_key(household.contact_name)),
    ):
        setattr(household, field, key[: Household._meta.get_field(field).max_length])


@transaction.atomic
def create_neighbourhood(*, actor, name, code="", is_priority=False):
    """Add a neighbourhood to the list trainers pick from."""
    neighbourhood = Neighbourhood(name=name.strip(), code=code.strip().upper(), is_priority=is_priority)
    neighbourhood.full_clean()
    with_actor(neighbourhood, actor).save()
    return neighbourhood


@transaction.atomic
def update_neighbourhood(neighbourhood, *, actor, **fields):
    """Rename a neighbourhood, set its code or its priority flag. Its households follow."""
    unknown = set(fields) - EDITABLE_NEIGHBOURHOOD_FIELDS
    if unknown:
        raise TypeError(f"update_neighbourhood() cannot change {sorted(unknown)}")
    for name, value in fields.items():
        setattr(neighbourhood, name, value.strip() if isinstance(value, str) else value)
    neighbourhood.code = neighbourhood.code.upper()
    neighbourhood.full_clean()
    with_actor(neighbourhood, actor).save()
    return neighbourhood
