"""Demo structures and one login per role (password ``ordipratique``, demo data only)."""

from .choices import Role, StructureKind
from .models import Structure, User
from .services import create_staff_user

DEMO_PASSWORD = "ordipratique"

STRUCTURES = [
    ("Régie de quartier des Tilleuls", StructureKind.REGIE, "Villeurbanne"),
    ("Médiathèque Louise-Michel", StructureKind.MEDIATHEQUE, "Villeurbanne"),
    ("Association Lire et Écrire", StructureKind.ASSOCIATION, "Villeurbanne"),
    ("Centre social du Tonkin", StructureKind.SOCIAL_CENTRE, "Villeurbanne"),
    ("Agglomération Rhône-Est", StructureKind.AGGLOMERATION, "Lyon"),
]

USERS = [
    ("technicien", "Karim", "Benali", Role.TECHNICIAN, "Régie de quartier des Tilleuls"),
    ("formatrice", "Claire", "Dumont", Role.TRAINER, "Médiathèque Louise-Michel"),
    ("coordinatrice", "Sophie", "Martin", Role.COORDINATOR, "Agglomération Rhône-Est"),
]


def load(*, stdout):
    structures = {}
    for name, kind, city in STRUCTURES:
        structures[name], created = Structure.objects.get_or_create(
            name=name, defaults={"kind": kind, "city": city}
        )
        if created:
            stdout.write(f"  structure: {name}")
    for username, first_name, last_name, role, structure_name in USERS:
        if User.objects.filter(username=username).exists():
            continue
        create_staff_user(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            structure=structures[structure_name],
            first_name=first_name,
            last_name=last_name,
        )
        stdout.write(f"  login: {username} / {DEMO_PASSWORD} ({role.label})")
