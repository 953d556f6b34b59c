"""The device API: same services as the screens, the contract's names, 400/409, never 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.devices.choices import DeviceStatus
from apps.devices.models import Device

from .factories import DeviceFactory, DonationFactory, DonorFactory, ErasureFactory

pytestmark = pytest.mark.django_db


def test_donor_and_donation_contract(api_as, technician):
    api = api_as(technician)
    donor = api.post("/api/donors/", {"name": "Mairie", "kind": "public_body"})
    assert donor.status_code == 201, donor.json()
    donation = api.post("/api/donations/", {"donor": donor.json()["id"], "received_on": "2026-11-02"})
    assert donation.status_code == 201, donation.json()
    body = donation.json()
    assert (body["donor"], body["received_on"], body["structure"]) == (
        donor.json()["id"],
        "2026-11-02",
        technician.structure_id,
    )
    assert (
        api.post("/api/donors/", {"name": "X", "kind": "bank"}).json()
        == {"kind": ["« bank » n'est pas un choix valide."]}
        or "kind" in api.post("/api/donors/", {"name": "X", "kind": "bank"}).json()
    )


@pytest.mark.parametrize(
    ("received_on", "message"),
    [
        ("0001-01-01", "Give a date between 2000 and 2099."),
        ("2099-12-31", "This is in the future (12/31/2099): give when it happened."),
    ],
)
def test_a_donation_received_centuries_ago_or_ahead_is_refused(
    api_as, technician, in_english, received_on, message
):
    donor = DonorFactory()
    response = api_as(technician).post("/api/donations/", {"donor": donor.pk, "received_on": received_on})
    assert response.status_code == 400
    assert response.json() == {"received_on": [message]}


def test_create_device_gives_a_read_only_tag_and_status(api_as, technician):
    donation = DonationFactory()
    api = api_as(technician)
    response = api.post(
        "/api/devices/",
        {
            "donation": donation.pk,
            "kind": "laptop",
            "brand": "Dell",
            "model": "E7450",
            "serial_number": "S1",
            "storage_gb": 256,
            "weight_kg": "1.60",
            "asset_tag": "HACK-1",
            "status": "ready",
        },  # fmt: skip
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["asset_tag"] == "OP-000001"
    assert body["status"] == "collected"
    assert {"id", "asset_tag", "status", "kind", "brand", "model", "serial_number", "donation", "storage_gb",
            "weight_kg", "notes"} <= set(body)  # fmt: skip
    device = Device.objects.get()
    patched = api.patch(f"/api/devices/{device.pk}/", {"status": "ready", "asset_tag": "X", "brand": "HP"})
    assert patched.status_code == 200
    assert (patched.json()["brand"], patched.json()["status"]) == ("HP", "collected")
    device.refresh_from_db()
    assert (device.status, device.asset_tag, device.brand) == ("collected", "OP-000001", "HP")
    assert device.history.latest().history_user == technician


def test_lookup_by_asset_tag(api_as, trainer):
    DeviceFactory(asset_tag="OP-000001")
    DeviceFactory(asset_tag="OP-000002")
    body = api_as(trainer).get("/api/devices/", {"asset_tag": "op-000002"}).json()
    assert [d["asset_tag"] for d in body["results"]] == ["OP-000002"]


def test_list_filters_match_the_screen(api_as, technician):
    DeviceFactory(asset_tag="OP-000001", status=DeviceStatus.READY, kind="laptop")
    DeviceFactory(asset_tag="OP-000002", status=DeviceStatus.DIAGNOSIS, kind="screen", serial_number="XYZ")
    api = api_as(technician)

    def tags(**params):
        return [d["asset_tag"] for d in api.get("/api/devices/", params).json()["results"]]

    assert tags(status="ready") == ["OP-000001"]
    assert tags(kind="screen") == ["OP-000002"]
    assert tags(q="xyz") == ["OP-000002"]
    assert api.get("/api/devices/", {"status": "nonsense"}).status_code == 400


def test_transition_endpoint(api_as, technician):
    device = DeviceFactory(status=DeviceStatus.RECONDITIONING)
    ErasureFactory(device=device)
    api = api_as(technician)
    response = api.post(f"/api/devices/{device.pk}/transition/", {"to": "ready", "note": "ok"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "ready"
    timeline = api.get(f"/api/devices/{device.pk}/timeline/").json()
    assert timeline[0]["title"].endswith("Ready") or "Prêt" in timeline[0]["title"]
    assert timeline[0]["detail"] == "ok"
    assert timeline[0]["actor_name"] == technician.get_full_name()


@pytest.mark.parametrize(
    ("status", "payload", "code", "field"),
    [
        (DeviceStatus.COLLECTED, {"to": "ready"}, 400, "to"),
        (DeviceStatus.READY, {"to": "allocated"}, 400, "to"),
        (DeviceStatus.READY, {"to": "reserved"}, 400, "to"),
        (DeviceStatus.COLLECTED, {"to": "flying"}, 400, "to"),
        (DeviceStatus.COLLECTED, {}, 400, "to"),
        (DeviceStatus.DIAGNOSIS, {"to": "recycled", "weight_kg": "-1"}, 400, "weight_kg"),
    ],
)
def test_illegal_moves_are_400_with_a_message(api_as, technician, status, payload, code, field):
    device = DeviceFactory(status=status)
    response = api_as(technician).post(f"/api/devices/{device.pk}/transition/", payload)
    assert response.status_code == code
    assert field in response.json()
    assert response.json()[field][0]
    device.refresh_from_db()
    assert device.status == status


def test_stale_move_is_a_409(api_as, technician):
    device = DeviceFactory(status=DeviceStatus.DIAGNOSIS)
    response = api_as(technician).post(
        f"/api/devices/{device.pk}/transition/", {"to": "reconditioning", "expected_status": "collected"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "status_changed"


def test_interventions_and_erasures(api_as, technician):
    device = DeviceFactory()
    api = api_as(technician)
    response = api.post(
        f"/api/devices/{device.pk}/interventions/",
        {"kind": "cleaning", "description": "Dépoussiérage", "minutes": 10},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["performed_by_name"] == technician.get_full_name()
    log = SimpleUploadedFile("nwipe.log", b"pass 1/1 OK", content_type="text/plain")
    response = api.post(
        f"/api/devices/{device.pk}/erasures/",
        {"method": "overwrite", "tool": "nwipe", "drive_serial": "WD-1", "result": "passed", "log_file": log},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert [e["drive_serial"] for e in api.get(f"/api/devices/{device.pk}/erasures/").json()] == ["WD-1"]
    bad = api.post(
        f"/api/devices/{device.pk}/erasures/", {"method": "magnet", "drive_serial": "", "result": "ok"}
    )
    assert bad.status_code == 400
    assert set(bad.json()) >= {"method", "drive_serial", "result"}


@pytest.mark.parametrize(
    ("performed_at", "message"),
    [
        ("0001-01-01T00:00:00", "Datetime value out of range."),
        ("9999-12-31T23:59:59+01:00", "Give a date between 2000 and 2099."),
        ("2099-06-01T10:00:00+02:00", "This is in the future (06/01/2099 10 a.m.): give when it happened."),
    ],
)
def test_an_intervention_dated_centuries_off_or_ahead_is_a_400(api_as, technician, performed_at, message):
    device = DeviceFactory()
    response = api_as(technician).post(
        f"/api/devices/{device.pk}/interventions/",
        {"kind": "cleaning", "description": "Dépoussiérage", "minutes": 10, "performed_at": performed_at},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"performed_at": [message]}
    assert not device.interventions.exists()


def test_import_dry_run_then_commit(api_as, technician):
    donation = DonationFactory()
    api = api_as(technician)
    csv = b"type;marque;serie\nportable;Dell;A1\necran;Dell;A2\n"
    preview = api.post(
        f"/api/donations/{donation.pk}/import/",
        {"file": SimpleUploadedFile("i.csv", csv)},
        format="multipart",
    )
    assert preview.status_code == 200, preview.json()
    assert preview.json()["dry_run"] is True and preview.json()["count"] == 2
    assert Device.objects.count() == 0
    commit = api.post(
        f"/api/donations/{donation.pk}/import/",
        {"file": SimpleUploadedFile("i.csv", csv), "dry_run": "false"},
        format="multipart",
    )
    assert commit.status_code == 201
    assert commit.json()["asset_tags"] == ["OP-000001", "OP-000002"]


def test_rejected_import_is_a_400_with_rows(api_as, technician):
    donation = DonationFactory()
    response = api_as(technician).post(
        f"/api/donations/{donation.pk}/import/",
        {"file": SimpleUploadedFile("i.csv", b"type\nportable\nfrigo\n"), "dry_run": "false"},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["row"] == 3
    assert Device.objects.count() == 0


def test_receipt_pdf_through_the_api(api_as, technician):
    donation = DonationFactory()
    response = api_as(technician).get(f"/api/donations/{donation.pk}/receipt.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


class TestRoles:
    def test_trainer_reads_but_cannot_write(self, api_as, trainer):
        device = DeviceFactory(status=DeviceStatus.DIAGNOSIS)
        api = api_as(trainer)
        assert api.get(f"/api/devices/{device.pk}/").status_code == 200
        assert api.get(f"/api/devices/{device.pk}/timeline/").status_code == 200
        assert api.patch(f"/api/devices/{device.pk}/", {"brand": "X"}).status_code == 403
        assert api.post(f"/api/devices/{device.pk}/transition/", {"to": "reconditioning"}).status_code == 403
        assert api.post(f"/api/devices/{device.pk}/interventions/", {"kind": "test"}).status_code == 403
        assert api.post(f"/api/devices/{device.pk}/erasures/", {}).status_code == 403
        assert api.get("/api/donors/").status_code == 403
        device.refresh_from_db()
        assert (device.status, device.brand) == ("diagnosis", "Dell")

    def test_anonymous_gets_nothing(self, api_client):
        DeviceFactory()
        assert api_client.get("/api/devices/").status_code in (401, 403)

    def test_nobody_deletes_devices(self, api_as, coordinator, technician):
        device = DeviceFactory()
        for user in (coordinator, technician):
            assert api_as(user).delete(f"/api/devices/{device.pk}/").status_code in (403, 405)
        assert Device.objects.filter(pk=device.pk).exists()


def test_api_list_queries_do_not_grow_with_rows(api_as, technician):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = api_as(technician)
    DeviceFactory()
    api.get("/api/devices/")  # warms the user's permission cache, as any session would
    with CaptureQueriesContext(connection) as one:
        api.get("/api/devices/")
    for _ in range(30):
        DeviceFactory()
    with CaptureQueriesContext(connection) as many:
        api.get("/api/devices/")
    assert len(many) == len(one)


def test_bulk_transition_is_all_or_nothing(api_as, technician):
    good = DeviceFactory(status=DeviceStatus.COLLECTED)
    bad = DeviceFactory(status=DeviceStatus.READY)
    api = api_as(technician)
    refused = api.post("/api/devices/transition/", {"devices": [good.pk, bad.pk], "to": "diagnosis"})
    assert refused.status_code == 400
    assert [e["asset_tag"] for e in refused.json()["errors"]] == [bad.asset_tag]
    good.refresh_from_db()
    assert good.status == "collected"
    moved = api.post("/api/devices/transition/", {"devices": [good.pk], "to": "diagnosis"})
    assert moved.status_code == 200
    assert [d["status"] for d in moved.json()] == ["diagnosis"]


def test_a_drive_added_to_a_ready_device_is_a_400_on_its_field(api_as, technician):
    device = DeviceFactory(
        status=DeviceStatus.READY, kind="laptop", brand="Dell", storage_gb=0, weight_kg="1.80"
    )
    response = api_as(technician).patch(f"/api/devices/{device.pk}/", {"storage_gb": 256, "brand": "HP"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "erasure_required" and list(body) == ["storage_gb", "code"]
    device.refresh_from_db()
    assert (device.storage_gb, device.brand) == (0, "Dell")
