"""A demo hand-over: one kit lent to a household that completed the demo course (idempotent)."""

from datetime import timedelta

from django.utils import timezone

from apps.accounts.models import User
from apps.devices.choices import DeviceStatus
from apps.devices.models import Device
from apps.training.selectors import completed_enrolments

from . import services
from .models import Allocation


def load(*, stdout):
    if Allocation.objects.exists():
        return
    trainer = User.objects.get(username="formatrice")
    enrolment = completed_enrolments().select_related("household", "course").order_by("pk").first()
    ready = list(Device.objects.filter(status=DeviceStatus.READY).order_by("pk")[:1])
    if enrolment is None or not ready:
        return
    allocation = services.reserve(
        actor=trainer,
        enrolment=enrolment,
        devices=ready,
        kind="loan",
        due_on=timezone.localdate() + timedelta(days=180),
        notes="Prêt de six mois, à transformer en don si tout va bien.",
    )
    services.hand_over(allocation, actor=trainer)
    stdout.write(f"  allocation: {allocation} for {enrolment.household}")
