"""Demo neighbourhoods and households. Names are invented; phone numbers are in the range
ARCEP keeps for fiction (06 39 98 xx xx), so a demo never rings a real person."""

from datetime import timedelta

from django.utils import timezone

from apps.accounts.models import Structure, User

from . import services
from .choices import AgeBracket, Gender, ReferredBy
from .forms import DEFAULT_CONSENT_TEXT
from .models import Household, Neighbourhood

DEMO_STRUCTURE = "Médiathèque Louise-Michel"

NEIGHBOURHOODS = [
    ("Saint-Jean", "QN06901M", True),
    ("Les Buers", "QN06904M", True),
    ("Les Brosses – Bel-Air", "QN06906M", True),
    ("Gratte-Ciel", "", False),
    ("Cusset", "", False),
]

# contact, phone, neighbourhood, size, children, referred by, referring structure, gender, age
HOUSEHOLDS = [
    ("Fatima Benali", "06 39 98 00 01", "Les Buers", 4, 2, ReferredBy.SOCIAL_CENTRE,
     "Centre social du Tonkin", Gender.FEMALE, AgeBracket.FROM_26_TO_44),
    ("Jean-Pierre Morel", "06 39 98 00 02", "Saint-Jean", 1, 0, ReferredBy.CCAS,
     "CCAS de Villeurbanne", Gender.MALE, AgeBracket.FROM_65),
    ("Aminata Diallo", "06 39 98 00 03", "Les Brosses – Bel-Air", 5, 3, ReferredBy.SCHOOL,
     "École Jules-Ferry", Gender.FEMALE, AgeBracket.FROM_26_TO_44),
    ("Thi Lan Nguyễn", "06 39 98 00 04", "Les Buers", 3, 1, ReferredBy.ASSOCIATION,
     "Association Lire et Écrire", Gender.FEMALE, AgeBracket.FROM_45_TO_64),
    ("Karim Haddad", "06 39 98 00 05", "Saint-Jean", 2, 0, ReferredBy.JOB_CENTRE,
     "France Travail Villeurbanne", Gender.MALE, AgeBracket.UNDER_26),
    ("Sylvie Garnier", "06 39 98 00 06", "Gratte-Ciel", 3, 2, ReferredBy.SOCIAL_CENTRE,
     "Centre social du Tonkin", Gender.FEMALE, AgeBracket.FROM_45_TO_64),
    ("Mehmet Yılmaz", "06 39 98 00 07", "Les Buers", 6, 4, ReferredBy.CCAS,
     "CCAS de Villeurbanne", Gender.DECLINED, AgeBracket.DECLINED),
    ("Élodie Petit", "06 39 98 00 08", "Cusset", 2, 1, ReferredBy.OTHER,
     "Mission locale", "", ""),
]  # fmt: skip


def load(*, stdout):
    coordinator = User.objects.get(username="coordinatrice")
    trainer = User.objects.get(username="formatrice")
    structure = Structure.objects.get(name=DEMO_STRUCTURE)
    neighbourhoods = {}
    for name, code, is_priority in NEIGHBOURHOODS:
        neighbourhoods[name] = Neighbourhood.objects.filter(name=name).first()
        if neighbourhoods[name] is None:
            neighbourhoods[name] = services.create_neighbourhood(
                actor=coordinator, name=name, code=code, is_priority=is_priority
            )
            stdout.write(f"  neighbourhood: {name}")
    for index, row in enumerate(HOUSEHOLDS):
        name, phone, neighbourhood, size, children, referred_by, referrer, gender, age_bracket = row
        if Household.objects.filter(contact_name=name, structure=structure).exists():
            continue
        services.register_household(
            actor=trainer,
            structure=structure,
            contact_name=name,
            phone=phone,
            neighbourhood=neighbourhoods[neighbourhood],
            size=size,
            children=children,
            referred_by=referred_by,
            referring_structure=referrer,
            gender=gender,
            age_bracket=age_bracket,
            consent_text=str(DEFAULT_CONSENT_TEXT),
            consent_at=timezone.now() - timedelta(days=40 - index),
        )
        stdout.write(f"  household: {name}")
