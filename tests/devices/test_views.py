"""The technician's screens: intake, finding a device, moves, interventions, erasures, receipt."""

import io
from datetime import date, datetime

import pypdfium2
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from apps.devices.choices import DeviceStatus
from apps.devices.documents import donation_receipt_pdf
from apps.devices.models import Device, Donation, Donor

from .factories import DeviceFactory, DonationFactory, ErasureFactory

pytestmark = pytest.mark.django_db


def pdf_text(content):
    document = pypdfium2.PdfDocument(io.BytesIO(content))
    text = " ".join(page.get_textpage().get_text_range() for page in document)
    return " ".join(text.split())  # table cells wrap: compare words, not line breaks


def test_technician_records_a_donor_and_a_donation(client_as, technician):
    client = client_as(technician)
    response = client.post(reverse("devices:donor_create"), {"name": "Mairie", "kind": "public_body"})
    donor = Donor.objects.get(name="Mairie")
    assert response["Location"] == donor.get_absolute_url()
    response = client.post(
        reverse("devices:donation_create"),
        {"donor": donor.pk, "received_on": "2026-11-02", "site": "Hôtel de ville"},
    )
    donation = Donation.objects.get()
    assert response["Location"] == donation.get_absolute_url()
    assert (donation.structure, donation.received_by) == (technician.structure, technician)
    assert donation.history.get().history_user == technician


def test_intake_gives_the_tag_at_once_and_keeps_kind_brand_model(client_as, technician):
    client = client_as(technician)
    donation = DonationFactory()
    url = reverse("devices:donation_detail", args=[donation.pk])
    first = {"kind": "laptop", "brand": "Dell", "model": "Latitude E7450", "serial_number": "S-1", "condition": "b",
             "storage_gb": "256", "weight_kg": "1.6"}  # fmt: skip
    response = client.post(url, first, follow=True)
    html = response.content.decode()
    assert "OP-000001" in html
    form = response.context["form"]
    assert (form["kind"].value(), form["brand"].value(), form["model"].value()) == (
        "laptop",
        "Dell",
        "Latitude E7450",
    )
    assert form["storage_gb"].value() == "256"
    assert not form["serial_number"].value() and not form["condition"].value()
    client.post(url, {**first, "serial_number": "S-2", "condition": "c"})
    assert list(donation.devices.order_by("pk").values_list("asset_tag", "serial_number", "condition")) == [
        ("OP-000001", "S-1", "b"),
        ("OP-000002", "S-2", "c"),
    ]


def test_intake_refuses_a_duplicate_serial_on_the_form(client_as, technician):
    DeviceFactory(serial_number="S-1", asset_tag="OP-000042")
    donation = DonationFactory()
    response = client_as(technician).post(
        reverse("devices:donation_detail", args=[donation.pk]), {"kind": "laptop", "serial_number": "S-1"}
    )
    assert response.status_code == 200
    assert "serial number is already recorded" in response.content.decode()
    assert donation.devices.count() == 0


@pytest.mark.parametrize("typed", ["OP-000007", "op-000007", " OP-000007 \t"])
def test_scan_box_goes_straight_to_the_device(client_as, technician, typed):
    device = DeviceFactory(asset_tag="OP-000007")
    response = client_as(technician).get(reverse("devices:device_find"), {"tag": typed})
    assert response["Location"] == device.get_absolute_url() == "/devices/OP-000007/"


def test_scan_box_searches_when_nothing_matches_exactly(client_as, technician):
    DeviceFactory(asset_tag="OP-000007", model="ThinkPad T470")
    client = client_as(technician)
    response = client.get(reverse("devices:device_find"), {"tag": "thinkpad"}, follow=True)
    assert response.redirect_chain[-1][0] == "/devices/?q=thinkpad"
    assert "OP-000007" in response.content.decode()


def test_scan_box_text_cannot_smuggle_filters(client_as, technician):
    response = client_as(technician).get(reverse("devices:device_find"), {"tag": "dell&status=ready"})
    assert response["Location"] == "/devices/?q=dell%26status%3Dready"


def test_qr_short_address_opens_the_device_page(client_as, technician):
    device = DeviceFactory(asset_tag="OP-000123")
    client = client_as(technician)
    assert client.get("/d/OP-000123")["Location"] == device.get_absolute_url()
    assert client.get("/d/OP-999999").status_code == 404


def test_qr_short_address_asks_a_stranger_to_log_in(client):
    DeviceFactory(asset_tag="OP-000123")
    response = client.get("/d/OP-000123")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/d/OP-000123"


def test_list_filters_by_status_kind_location_and_text(client_as, technician):
    DeviceFactory(asset_tag="OP-000001", status=DeviceStatus.READY, kind="laptop", location="Étagère A")
    DeviceFactory(asset_tag="OP-000002", status=DeviceStatus.DIAGNOSIS, kind="screen", serial_number="XYZ")
    client = client_as(technician)

    def tags(**params):
        return [
            d.asset_tag for d in client.get(reverse("devices:device_list"), params).context["object_list"]
        ]

    assert tags() == ["OP-000002", "OP-000001"]
    assert tags(status="ready") == ["OP-000001"]
    assert tags(kind="screen") == ["OP-000002"]
    assert tags(location="gère a") == ["OP-000001"]
    assert tags(q="xyz") == ["OP-000002"]


def test_device_page_shows_only_allowed_moves_and_the_timeline(client_as, technician):
    device = DeviceFactory(status=DeviceStatus.DIAGNOSIS)
    html = client_as(technician).get(device.get_absolute_url()).content.decode()
    assert "Move to “In reconditioning”" in html or "Passer à « En reconditionnement »" in html
    assert html.count('name="to"') == 3  # reconditioning, recycled, destroyed
    assert "Ready" not in html.split("Next step")[1].split("</section>")[0]


def test_move_button_changes_status_and_shows_on_the_timeline(client_as, technician):
    device = DeviceFactory(status=DeviceStatus.DIAGNOSIS)
    client = client_as(technician)
    response = client.post(
        reverse("devices:device_transition", args=[device.asset_tag]),
        {"to": "reconditioning", "expected_status": "diagnosis", "note": "écran à changer"},
        follow=True,
    )
    device.refresh_from_db()
    assert device.status == "reconditioning"
    html = response.content.decode()
    assert "écran à changer" in html
    assert technician.get_full_name() in html


def test_an_illegal_move_is_refused_with_its_reason(client_as, technician):
    device = DeviceFactory(status=DeviceStatus.RECONDITIONING, storage_gb=500)
    response = client_as(technician).post(
        reverse("devices:device_transition", args=[device.asset_tag]),
        {"to": "ready", "expected_status": "reconditioning"},
        follow=True,
    )
    assert "record a passed erasure before marking it ready" in response.content.decode()
    device.refresh_from_db()
    assert device.status == "reconditioning"


def test_interventions_and_erasures_are_recorded_from_the_device_page(client_as, technician):
    device = DeviceFactory(status=DeviceStatus.RECONDITIONING)
    client = client_as(technician)
    client.post(
        reverse("devices:intervention_create", args=[device.asset_tag]),
        {
            "kind": "part_swap",
            "description": "Barrette RAM",
            "parts_used": "RAM 8 Go",
            "minutes": 15,
            "performed_at": "2026-11-20T10:00",
        },  # fmt: skip
    )
    client.post(
        reverse("devices:erasure_create", args=[device.asset_tag]),
        {
            "method": "overwrite",
            "standard": "NIST 800-88",
            "tool": "nwipe",
            "drive_serial": "WD-1",
            "result": "passed",
            "performed_at": "2026-11-20T11:00",
        },  # fmt: skip
    )
    intervention = device.interventions.get()
    assert (intervention.minutes, intervention.performed_by) == (15, technician)
    assert device.erasures.get().operator == technician
    html = client.get(device.get_absolute_url()).content.decode()
    assert "Barrette RAM" in html and "WD-1" in html


@pytest.mark.parametrize("performed_at", ["0001-01-01T00:00", "9999-12-31T23:59", "2099-06-01T10:00"])
def test_an_intervention_dated_centuries_off_or_in_the_future_is_refused(client_as, technician, performed_at):
    device = DeviceFactory(status=DeviceStatus.RECONDITIONING)
    response = client_as(technician).post(
        reverse("devices:intervention_create", args=[device.asset_tag]),
        {"kind": "cleaning", "description": "Dépoussiérage", "minutes": 10, "performed_at": performed_at},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["performed_at"]
    assert not device.interventions.exists()


def test_erasure_form_requires_the_drive_serial(client_as, technician):
    device = DeviceFactory()
    response = client_as(technician).post(
        reverse("devices:erasure_create", args=[device.asset_tag]),
        {"method": "overwrite", "drive_serial": "", "result": "passed", "performed_at": "2026-11-20T11:00"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["drive_serial"]
    assert device.erasures.count() == 0


def test_donation_receipt_lists_each_device_and_how_its_drive_was_erased(client_as, technician):
    donation = DonationFactory(donor__name="Banque <Rhône> & Cie")
    erased = DeviceFactory(donation=donation, asset_tag="OP-000001", serial_number="SER-1")
    ErasureFactory(device=erased, drive_serial="DRV-9", standard="NIST SP 800-88")
    DeviceFactory(
        donation=donation, asset_tag="OP-000002", serial_number="SER-2", storage_gb=0, kind="screen"
    )
    DeviceFactory(donation=donation, asset_tag="OP-000003", serial_number="SER-3")
    response = client_as(technician).get(reverse("devices:donation_receipt", args=[donation.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in ("Banque <Rhône> & Cie", "OP-000001", "SER-1", "DRV-9", "NIST SP 800-88", "OP-000002",
                     "SER-3", donation.number):  # fmt: skip
        assert expected in text, expected
    assert "Aucun support de stockage" in text or "No storage drive" in text


class TestRoles:
    def test_trainer_reads_devices_but_cannot_change_them(self, client_as, trainer):
        device = DeviceFactory(status=DeviceStatus.DIAGNOSIS)
        client = client_as(trainer)
        assert client.get(device.get_absolute_url()).status_code == 200
        html = client.get(device.get_absolute_url()).content.decode()
        assert 'name="to"' not in html
        assert client.get(reverse("devices:device_update", args=[device.asset_tag])).status_code == 403
        response = client.post(
            reverse("devices:device_transition", args=[device.asset_tag]),
            {"to": "reconditioning", "expected_status": "diagnosis"},
        )
        assert response.status_code == 403
        assert (
            client.post(reverse("devices:intervention_create", args=[device.asset_tag]), {}).status_code
            == 403
        )
        assert client.get(reverse("devices:donation_list")).status_code == 403
        device.refresh_from_db()
        assert device.status == "diagnosis"

    def test_coordinator_reads_but_does_not_log_devices(self, client_as, coordinator):
        donation = DonationFactory()
        client = client_as(coordinator)
        assert client.get(reverse("devices:device_list")).status_code == 200
        assert client.get(donation.get_absolute_url()).status_code == 200
        assert client.post(donation.get_absolute_url(), {"kind": "laptop"}).status_code == 404
        assert Device.objects.count() == 0


def test_the_donations_and_donors_lists_count_each_ones_devices_and_donations(client_as, technician):
    full = DonationFactory()
    for status in ("ready", "ready", "diagnosis"):
        DeviceFactory(donation=full, donation__donor=full.donor, status=status)
    empty = DonationFactory(donor=full.donor)
    other = DonationFactory()
    DeviceFactory(donation=other, donation__donor=other.donor, status="collected")
    client = client_as(technician)

    donations = {d.pk: d for d in client.get(reverse("devices:donation_list")).context["object_list"]}
    assert [(donations[d.pk].device_count, donations[d.pk].ready_count) for d in (full, empty, other)] == [
        (3, 2),
        (0, 0),
        (1, 0),
    ]
    api = {d["id"]: d["device_count"] for d in client.get("/api/donations/").json()["results"]}
    assert (api[full.pk], api[empty.pk], api[other.pk]) == (3, 0, 1)
    donors = {
        d.pk: d.donation_count for d in client.get(reverse("devices:donor_list")).context["object_list"]
    }
    assert (donors[full.donor_id], donors[other.donor_id]) == (2, 1)


class TestQueryCounts:
    """A page costs the same number of queries for 1 row and for 25."""

    @pytest.mark.parametrize(
        "url_name", ["devices:device_list", "devices:donation_list", "devices:donor_list"]
    )
    def test_lists(self, client_as, technician, django_assert_max_num_queries, url_name):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = client_as(technician)
        DeviceFactory()
        with CaptureQueriesContext(connection) as one:
            client.get(reverse(url_name))
        donation = DonationFactory()
        for _ in range(24):
            DeviceFactory(donation=donation, donation__donor=donation.donor)
        with CaptureQueriesContext(connection) as many:
            assert client.get(reverse(url_name)).status_code == 200
        assert len(many) == len(one)

    def test_device_page(self, client_as, technician):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = client_as(technician)
        device = DeviceFactory(status=DeviceStatus.RECONDITIONING)
        with CaptureQueriesContext(connection) as few:
            client.get(device.get_absolute_url())
        for n in range(20):
            ErasureFactory(device=device)
            device.interventions.create(kind="test", description=f"test {n}", minutes=1)
        with CaptureQueriesContext(connection) as many:
            client.get(device.get_absolute_url())
        assert len(many) == len(few)
        # The session and permissions, the device with its erasure state, four kinds of
        # events for the timeline, the erasure card.
        assert len(few) == 9


def test_moving_a_batch_from_the_donation_page_is_all_or_nothing(client_as, technician):
    donation = DonationFactory()
    erased = [DeviceFactory(donation=donation, status=DeviceStatus.RECONDITIONING) for _ in range(2)]
    for device in erased:
        ErasureFactory(device=device)
    not_erased = DeviceFactory(donation=donation, status=DeviceStatus.RECONDITIONING, asset_tag="OP-000777")
    client = client_as(technician)
    url = reverse("devices:donation_bulk_transition", args=[donation.pk])
    response = client.post(
        url, {"devices": [d.pk for d in [*erased, not_erased]], "to": "ready"}, follow=True
    )
    html = response.content.decode()
    assert "OP-000777" in html and "record a passed erasure" in html
    assert set(donation.devices.values_list("status", flat=True)) == {"reconditioning"}
    client.post(url, {"devices": [d.pk for d in erased], "to": "ready", "note": "lot testé"})
    assert sorted(donation.devices.values_list("status", flat=True)) == ["ready", "ready", "reconditioning"]
    assert erased[0].status_changes.latest("at").note == "lot testé"


@pytest.mark.parametrize("forged", [2**70, 2**63, -(10**20), "²"])
def test_a_forged_device_id_in_a_batch_is_refused_and_nothing_moves(client_as, technician, forged):
    donation = DonationFactory()
    device = DeviceFactory(donation=donation)
    response = client_as(technician).post(
        reverse("devices:donation_bulk_transition", args=[donation.pk]),
        {"devices": [device.pk, forged], "to": "diagnosis"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Tick at least one device and choose where to move them." in response.content.decode()
    device.refresh_from_db()
    assert device.status == DeviceStatus.COLLECTED


def _device_with_a_long_life(events):
    """A device with ``events`` events spread over years: status moves every other day, and
    every fifth event an intervention, so the providers interleave."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.devices.choices import InterventionKind
    from apps.devices.models import Intervention, StatusChange

    device = DeviceFactory(status=DeviceStatus.DIAGNOSIS)
    StatusChange.objects.filter(device=device).delete()  # the factory's own, dated now
    start = timezone.now() - timedelta(days=2 * events)
    for index in range(events):
        at = start + timedelta(days=2 * index)
        if index % 5 == 4:
            Intervention.objects.create(
                device=device, kind=InterventionKind.values[0], description=f"event {index}", performed_at=at
            )
        else:
            StatusChange.objects.create(
                device=device,
                from_status="diagnosis",
                to_status="reconditioning",
                note=f"event {index}",
                at=at,
            )
    return device


def _events_on(html):
    import re

    return [int(n) for n in re.findall(r"event (\d+)", html)]


def test_device_page_shows_the_latest_events_and_links_to_the_whole_timeline(client_as, technician):
    device = _device_with_a_long_life(45)
    client = client_as(technician)
    html = client.get(device.get_absolute_url()).content.decode()
    assert _events_on(html) == list(range(44, 14, -1))  # the 30 latest, newest first
    full = reverse("devices:device_timeline", args=[device.asset_tag])
    assert f'href="{full}"' in html

    html = client.get(full).content.decode()
    assert _events_on(html) == list(range(44, -1, -1))
    assert "45 events, newest first." in html


def test_a_short_timeline_has_no_link_to_more(client_as, technician):
    device = _device_with_a_long_life(30)
    html = client_as(technician).get(device.get_absolute_url()).content.decode()
    assert _events_on(html) == list(range(29, -1, -1))
    assert reverse("devices:device_timeline", args=[device.asset_tag]) not in html


def test_the_device_page_reads_as_much_for_5_events_as_for_200(client_as, technician):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(technician)
    counts = []
    for events in (5, 200):
        device = _device_with_a_long_life(events)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(device.get_absolute_url()).status_code == 200
        counts.append(len(queries))
        # Each provider reads at most the page's events plus one, never the whole life.
        moves = [q["sql"] for q in queries if 'FROM "devices_statuschange"' in q["sql"]]
        assert moves and all(" LIMIT " in sql for sql in moves)
    assert counts[0] == counts[1]


def test_the_erasure_card_lists_the_latest_three_and_points_to_the_timeline_for_the_rest(
    client_as, technician
):
    from datetime import timedelta

    from django.utils import timezone

    device = DeviceFactory(storage_gb=256)
    now = timezone.now()
    for n in range(5):
        ErasureFactory(device=device, drive_serial=f"DRIVE-{n}", performed_at=now - timedelta(days=5 - n))
    html = client_as(technician).get(device.get_absolute_url()).content.decode()
    card = html.split('id="erasure-title"')[1].split("</section>")[0]
    assert [f"DRIVE-{n}" in card for n in range(5)] == [False, False, True, True, True]
    assert reverse("devices:device_timeline", args=[device.asset_tag]) in card

    ErasureFactory(device=DeviceFactory(storage_gb=256), drive_serial="ONLY-ONE")
    html = client_as(technician).get(Device.objects.latest("pk").get_absolute_url()).content.decode()
    card = html.split('id="erasure-title"')[1].split("</section>")[0]
    assert "ONLY-ONE" in card and "/timeline/" not in card


def test_every_erasure_log_stays_reachable_from_the_whole_timeline(client_as, technician):
    import re
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    device = DeviceFactory(storage_gb=256)
    now = timezone.now()
    erasures = [
        ErasureFactory(device=device, performed_at=now - timedelta(days=10 - n, microseconds=n + 1))
        for n in range(5)
    ]
    erasures[0].log_file.save("oldest.log", ContentFile(b"pass 1/1 OK"))  # no longer on the card
    html = (
        client_as(technician)
        .get(reverse("devices:device_timeline", args=[device.asset_tag]))
        .content.decode()
    )
    log = reverse("devices:erasure_log", args=[device.asset_tag, erasures[0].pk])
    assert f'href="{log}"' in html
    assert client_as(technician).get(log).status_code == 200
    # HTML's datetime attribute: to the second, in UTC (no microseconds, which it refuses).
    stamps = re.findall(r'<time datetime="([^"]+)"', html)
    assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", s) for s in stamps)


def test_the_erasure_card_says_whether_the_drive_is_erased_since_the_last_return(
    client_as, technician, in_english
):
    from datetime import timedelta

    from django.utils import timezone

    from apps.devices.models import StatusChange

    device = DeviceFactory(storage_gb=256, status=DeviceStatus.RECONDITIONING)
    client = client_as(technician)

    def card():
        html = client.get(device.get_absolute_url()).content.decode()
        return html.split('id="erasure-title"')[1].split("</section>")[0]

    assert "To erase" in card()
    ErasureFactory(device=device, result="failed")
    assert "To erase" in card()
    ErasureFactory(device=device, performed_at=timezone.now() - timedelta(days=30))
    assert "Erased" in card() and "To erase" not in card()
    # Back from a household: the erasure before the return no longer counts.
    StatusChange.objects.create(device=device, from_status="allocated", to_status="returned")
    assert "To erase" in card()
    ErasureFactory(device=device)
    assert "Erased" in card()


def test_editing_a_ready_device_to_add_a_drive_shows_why_and_saves_nothing(client_as, technician):
    device = DeviceFactory(status=DeviceStatus.READY, kind="desktop", brand="Dell", storage_gb=0)
    response = client_as(technician).post(
        reverse("devices:device_update", args=[device.asset_tag]),
        {"kind": "desktop", "brand": "HP", "storage_gb": "500"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["storage_gb"] == [
        "This device is ready to be handed over and has no passed erasure: move it back to reconditioning "
        "before recording a drive, then erase the drive and mark it ready again."
    ]
    device.refresh_from_db()
    assert (device.brand, device.storage_gb) == ("Dell", 0)


def test_the_receipt_prints_a_donor_name_in_any_alphabet():
    donation = DonationFactory(donor__name="Association Nguyễn Yılmaz")
    assert "Association Nguyễn Yılmaz" in pdf_text(donation_receipt_pdf(donation))


def test_the_receipt_dates_an_overnight_erasure_on_its_local_day():
    device = DeviceFactory()
    ErasureFactory(device=device, performed_at=timezone.make_aware(datetime(2026, 6, 15, 0, 30)))  # Paris
    text = pdf_text(donation_receipt_pdf(device.donation))
    assert date_format(date(2026, 6, 15), "SHORT_DATE_FORMAT") in text
    assert date_format(date(2026, 6, 14), "SHORT_DATE_FORMAT") not in text


def test_a_scanner_reading_the_qr_code_opens_the_device(client_as, technician, settings):
    # A 2D USB scanner types what the QR code holds: the label's address, then Enter.
    settings.SITE_URL = "https://ordi.example.org"
    device = DeviceFactory(asset_tag="OP-000007")
    response = client_as(technician).get(
        reverse("devices:device_find"), {"tag": "https://ordi.example.org/d/OP-000007\n"}
    )
    assert response["Location"] == device.get_absolute_url()
