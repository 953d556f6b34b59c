from django.db import models
from django.utils.translation import gettext_lazy as _


class DonorKind(models.TextChoices):
    COMPANY = "company", _("Company")
    PUBLIC_BODY = "public_body", _("Public body")
    ASSOCIATION = "association", _("Association")
    PERSON = "person", _("Private person")


class DeviceKind(models.TextChoices):
    DESKTOP = "desktop", _("Desktop")
    LAPTOP = "laptop", _("Laptop")
    ALL_IN_ONE = "all_in_one", _("All-in-one")
    SCREEN = "screen", _("Screen")
    TABLET = "tablet", _("Tablet")
    PERIPHERAL = "peripheral", _("Peripheral")


class DeviceStatus(models.TextChoices):
    COLLECTED = "collected", _("Collected")
    DIAGNOSIS = "diagnosis", _("In diagnosis")
    RECONDITIONING = "reconditioning", _("In reconditioning")
    READY = "ready", _("Ready")
    RESERVED = "reserved", _("Reserved")
    ALLOCATED = "allocated", _("Allocated")
    RETURNED = "returned", _("Returned")
    RECYCLED = "recycled", _("Recycled")
    DESTROYED = "destroyed", _("Destroyed")
    LOST = "lost", _("Lost or stolen")


class StorageType(models.TextChoices):
    HDD = "hdd", _("Hard disk (HDD)")
    SSD = "ssd", _("SSD")
    NVME = "nvme", _("NVMe SSD")
    EMMC = "emmc", _("eMMC / flash")


class ConditionGrade(models.TextChoices):
    A = "a", _("A – like new")
    B = "b", _("B – good, signs of use")
    C = "c", _("C – worn but working")
    D = "d", _("D – for parts")


class InterventionKind(models.TextChoices):
    DIAGNOSIS = "diagnosis", _("Diagnosis")
    CLEANING = "cleaning", _("Cleaning")
    REPAIR = "repair", _("Repair")
    PART_SWAP = "part_swap", _("Part swap")
    OS_INSTALL = "os_install", _("OS install")
    TEST = "test", _("Test")


class ErasureMethod(models.TextChoices):
    OVERWRITE = "overwrite", _("Software overwrite")
    CRYPTO_ERASE = "crypto_erase", _("Cryptographic erase")
    DESTRUCTION = "destruction", _("Physical destruction")


class ErasureResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
