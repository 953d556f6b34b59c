"""Demo donors, donations and devices at every step of their life (idempotent)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import Structure, User

from . import services
from .choices import DeviceKind, DeviceStatus, DonorKind, ErasureMethod, ErasureResult, InterventionKind
from .models import Donor

DONORS = [
    ("Mairie de Villeurbanne", DonorKind.PUBLIC_BODY, "Place Lazare-Goujon, 69100 Villeurbanne"),
    ("Banque Rhône Services", DonorKind.COMPANY, "12 cours Émile-Zola, 69100 Villeurbanne"),
]


def load(*, stdout):
    if Donor.objects.filter(name=DONORS[0][0]).exists():
        return
    technician = User.objects.get(username="technicien")
    regie = Structure.objects.get(name="Régie de quartier des Tilleuls")
    today = timezone.localdate()
    donors = [
        services.create_donor(actor=technician, name=name, kind=kind, address=address)
        for name, kind, address in DONORS
    ]
    mairie = services.create_donation(
        actor=technician,
        donor=donors[0],
        structure=regie,
        received_on=today - timedelta(days=40),
        site="Hôtel de ville",
    )
    banque = services.create_donation(
        actor=technician,
        donor=donors[1],
        structure=regie,
        received_on=today - timedelta(days=12),
        site="Siège",
    )
    laptops = [
        services.create_device(
            donation=mairie,
            actor=technician,
            kind=DeviceKind.LAPTOP,
            brand="Dell",
            model="Latitude E7450",
            serial_number=f"DL7450-{n:03d}",
            cpu="Intel Core i5-5300U",
            ram_gb=8,
            storage_gb=256,
            storage_type="ssd",
            weight_kg=Decimal("1.60"),
            location="Étagère A",
        )
        for n in range(1, 7)
    ]
    for device in laptops[:4]:
        services.transition(device, DeviceStatus.DIAGNOSIS, actor=technician)
        services.record_intervention(
            device,
            actor=technician,
            kind=InterventionKind.DIAGNOSIS,
            description="Batterie 80 %, écran sans défaut",
            minutes=20,
        )
        services.transition(device, DeviceStatus.RECONDITIONING, actor=technician)
        services.record_erasure(
            device,
            actor=technician,
            method=ErasureMethod.OVERWRITE,
            standard="NIST SP 800-88 Clear",
            tool="ShredOS / nwipe",
            drive_serial=f"SSD-{device.serial_number}",
            result=ErasureResult.PASSED,
        )
        services.record_intervention(
            device,
            actor=technician,
            kind=InterventionKind.OS_INSTALL,
            description="Linux Mint 22 installé",
            minutes=35,
        )
    for device in laptops[:3]:
        services.transition(device, DeviceStatus.READY, actor=technician, note="Testé, prêt à donner")
    for n in range(1, 4):
        services.create_device(
            donation=banque,
            actor=technician,
            kind=DeviceKind.DESKTOP,
            brand="HP",
            model="ProDesk 400 G4",
            serial_number=f"HP400-{n:03d}",
            storage_gb=500,
            storage_type="hdd",
            ram_gb=8,
            weight_kg=Decimal("5.20"),
        )
        services.create_device(
            donation=banque,
            actor=technician,
            kind=DeviceKind.SCREEN,
            brand="Iiyama",
            model="ProLite 22",
            serial_number=f"IY22-{n:03d}",
            storage_gb=0,
            weight_kg=Decimal("3.40"),
        )
    broken = services.create_device(
        donation=banque,
        actor=technician,
        kind=DeviceKind.PERIPHERAL,
        brand="Logitech",
        model="Clavier K120",
        storage_gb=0,
        weight_kg=Decimal("0.50"),
        notes="Touches manquantes",
    )
    services.transition(broken, DeviceStatus.RECYCLED, actor=technician, note="Filière DEEE")
    stdout.write(f"  devices: {len(laptops) + 7} in 2 donations")
