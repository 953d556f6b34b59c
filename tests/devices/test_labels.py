"""Device labels end to end: what the print page, the API and the command print, read back
the way a phone camera and a USB scanner read them."""

import io

import pypdfium2
import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from apps.devices import printing
from apps.devices.choices import DeviceStatus, DonorKind
from labels import LAYOUTS
from tests.factories import UserFactory
from tests.labels.conftest import PrintedPdf, decoded_values

from .factories import DeviceFactory, DonationFactory, DonorFactory

pytestmark = pytest.mark.django_db

SITE = "https://ordi.example.org"
L7160 = LAYOUTS["L7160"]


@pytest.fixture(autouse=True)
def site_url(in_english):
    with override_settings(SITE_URL=SITE):
        yield


@pytest.fixture
def donation_of_30():
    donation = DonationFactory(donor=DonorFactory(name="Mairie de Vaulx"))
    # Created out of tag order: labels come out sorted by tag all the same.
    for number in [*range(30, 15, -1), *range(1, 16)]:
        DeviceFactory(donation=donation, asset_tag=f"OP-{number:06d}")
    return donation


def tags(numbers):
    return [f"OP-{number:06d}" for number in numbers]


def page_count(content):
    document = pypdfium2.PdfDocument(content)
    try:
        return len(document)
    finally:
        document.close()


def scanned_slots(content, layout=L7160, page=0, slots=None):
    """{slot: (QR text, barcode text)} of the labels on one page, read at 300 dpi."""
    pdf = PrintedPdf(content)
    found = {}
    for slot in slots or range(1, layout.labels_per_page + 1):
        codes = decoded_values(pdf.slot_image(page, layout, slot))
        if codes:
            found[slot] = (codes.get("QRCode", [None])[0], codes.get("Code128", [None])[0])
    return found


def assert_labels(found, expected_tags, first_slot=1):
    """Each slot from ``first_slot`` holds the label of the expected device, in order."""
    assert found == {
        slot: (f"{SITE}/d/{tag}", tag) for slot, tag in enumerate(expected_tags, start=first_slot)
    }


def png_codes(content):
    image = Image.open(io.BytesIO(content))
    return decoded_values(image.convert("L"))


# The label data ---------------------------------------------------------------------------


def test_a_label_names_the_device_and_its_donation_not_the_donor(settings):
    donor = DonorFactory(name="Jeanne Martin", kind=DonorKind.PERSON)
    device = DeviceFactory(
        asset_tag="OP-000042", brand="Lenovo", model="ThinkPad T480", donation=DonationFactory(donor=donor)
    )
    label = printing.label_for(device)
    assert label.asset_tag == "OP-000042"
    assert label.url == f"{SITE}/d/OP-000042"
    assert label.title == "Laptop Lenovo ThinkPad T480"
    assert label.subtitle == f"Donation {device.donation.number}"
    assert label.programme == "Ordi-pratique"


def test_layout_descriptions_are_marked_for_translation():
    assert [layout.description for layout in LAYOUTS.values()] == printing.LAYOUT_DESCRIPTIONS


def test_model_names_are_printed_as_text_never_as_markup():
    device = DeviceFactory(brand="<b>HP</b>", model="&amp; <font size=40>X")
    content = printing.print_labels(layout="L7163", asset_tags=[device.asset_tag]).content
    document = pypdfium2.PdfDocument(content)
    text = " ".join(document[0].get_textpage().get_text_range().split())
    document.close()
    assert "<b>HP</b> &amp; <font" in text


def test_printing_costs_the_same_queries_for_1_or_30_labels(django_assert_num_queries, donation_of_30):
    single = DonationFactory()
    DeviceFactory(donation=single)
    for donation in (single, donation_of_30):
        with django_assert_num_queries(3):  # the donation, the count, the devices with it
            printing.print_labels(layout="L7160", donation=donation.pk)


# The print page ---------------------------------------------------------------------------


def test_technician_prints_a_donation_of_30_on_two_sheets(client_as, technician, donation_of_30):
    client = client_as(technician)
    url = reverse("devices:label_print")
    page = client.get(url, {"donation": donation_of_30.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "30 labels" in html
    assert "21 labels per sheet" in html and "One label per page, for a label printer" in html
    assert page.context["form"]["source"].value() == "donation"

    response = client.post(
        url, {"source": "donation", "donation": donation_of_30.pk, "layout": "L7160", "start_position": 1}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="etiquettes-don-{donation_of_30.number}-L7160.pdf"'
    )
    assert page_count(response.content) == 2
    assert_labels(scanned_slots(response.content), tags(range(1, 22)))
    assert_labels(scanned_slots(response.content, page=1, slots=range(1, 11)), tags(range(22, 31)))


def test_start_position_5_puts_21_labels_on_two_sheets(client_as, technician):
    donation = DonationFactory()
    for number in range(1, 22):
        DeviceFactory(donation=donation, asset_tag=f"OP-{number:06d}")
    response = client_as(technician).post(
        reverse("devices:label_print"),
        {"source": "donation", "donation": donation.pk, "layout": "L7160", "start_position": 5},
    )
    assert response["Content-Type"] == "application/pdf"
    assert page_count(response.content) == 2
    # Slots 1 to 4 of the used sheet stay blank; the 17 first labels fill 5 to 21.
    assert_labels(scanned_slots(response.content), tags(range(1, 18)), first_slot=5)
    assert_labels(scanned_slots(response.content, page=1, slots=range(1, 6)), tags(range(18, 22)))


def test_device_page_button_prints_its_label_and_a_scanner_finds_it(client_as, technician):
    device = DeviceFactory(asset_tag="OP-000123")
    client = client_as(technician)
    html = client.get(device.get_absolute_url()).content.decode()
    link = f"{reverse('devices:label_print')}?device=OP-000123"
    assert f'href="{link}"' in html and "Print the label" in html

    page = client.get(link)
    assert page.context["form"]["asset_tags"].value() == "OP-000123"
    assert "PNG image of one label" in page.content.decode()  # one device: a PNG is offered
    response = client.post(
        link, {"source": "tags", "asset_tags": "OP-000123", "layout": "L7160", "start_position": 1}
    )
    assert response["Content-Disposition"] == 'inline; filename="etiquettes-OP-000123-L7160.pdf"'
    ((qr_text, barcode_text),) = scanned_slots(response.content, slots=[1]).values()

    # A USB scanner types the barcode into the search box and presses Enter.
    found = client.get(reverse("devices:device_find"), {"tag": barcode_text})
    assert found.status_code == 302 and found["Location"] == device.get_absolute_url()
    # A phone camera opens the QR code's address.
    assert qr_text.startswith(SITE)
    opened = client.get(qr_text.removeprefix(SITE))
    assert opened.status_code == 302 and opened["Location"] == device.get_absolute_url()


def test_thermal_printer_gets_a_png_of_one_label(client_as, technician):
    DeviceFactory(asset_tag="OP-000007")
    response = client_as(technician).post(
        reverse("devices:label_print"),
        {"source": "tags", "asset_tags": "op-000007", "layout": "QL62", "start_position": 1, "format": "png"},
    )
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="etiquettes-OP-000007-QL62.png"'
    assert png_codes(response.content) == {"QRCode": [f"{SITE}/d/OP-000007"], "Code128": ["OP-000007"]}


def test_a_selection_from_the_list_prints_those_devices(client_as, technician):
    for number in (3, 1, 2, 9):
        DeviceFactory(asset_tag=f"OP-{number:06d}")
    client = client_as(technician)
    listing = client.get(reverse("devices:device_list")).content.decode()
    assert 'form method="get" action="/devices/labels/"' in listing
    assert 'name="device" value="OP-000003"' in listing
    assert "Print the labels of the selected devices" in listing

    page = client.get(reverse("devices:label_print"), {"device": ["OP-000003", "OP-000001", "OP-000002"]})
    assert page.context["device_count"] == 3
    typed = page.context["form"]["asset_tags"].value()
    response = client.post(
        reverse("devices:label_print"),
        {"source": "tags", "asset_tags": typed, "layout": "L7160", "start_position": 1},
    )
    assert page_count(response.content) == 1
    assert_labels(scanned_slots(response.content), tags([1, 2, 3]))


def test_the_filtered_list_prints_all_its_pages(client_as, technician):
    for number in range(1, 31):
        device = DeviceFactory(asset_tag=f"OP-{number:06d}")
        if number % 3 == 0:
            device.status = DeviceStatus.READY
            device.save()
    client = client_as(technician)
    listing = client.get(reverse("devices:device_list"), {"status": "ready"}).content.decode()
    link = f"{reverse('devices:label_print')}?filters=status%3Dready"
    assert f'href="{link}"' in listing and "Print the labels of this list" in listing

    page = client.get(link)
    assert page.context["device_count"] == 10
    response = client.post(
        link, {"source": "filters", "filters": "status=ready", "layout": "L7160", "start_position": 1}
    )
    assert response["Content-Disposition"] == 'inline; filename="etiquettes-liste-L7160.pdf"'
    assert_labels(scanned_slots(response.content), tags(range(3, 31, 3)))


def test_donation_page_has_the_print_button(client_as, technician, donation_of_30):
    html = client_as(technician).get(donation_of_30.get_absolute_url()).content.decode()
    assert f'href="/devices/labels/?donation={donation_of_30.pk}"' in html
    assert "Print the labels" in html


def post_print(client, **data):
    fields = {"source": "tags", "layout": "L7160", "start_position": 1, **data}
    response = client.post(reverse("devices:label_print"), fields)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html"), "nothing is printed"
    return response.context["form"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"layout": "L9999", "asset_tags": "OP-000001"},
            "layout",
            "Unknown label layout “L9999”. Choose one of: L7160, L7163, L7651, QL62, DYMO99012.",
        ),
        (
            {"start_position": 0, "asset_tags": "OP-000001"},
            "start_position",
            "The start position must be a number from 1 to 21: a sheet of L7160 has 21 labels.",
        ),
        (
            {"start_position": 22, "asset_tags": "OP-000001"},
            "start_position",
            "The start position must be a number from 1 to 21: a sheet of L7160 has 21 labels.",
        ),
        (
            {"layout": "QL62", "start_position": 3, "asset_tags": "OP-000001"},
            "start_position",
            "On QL62 each label is printed on its own: leave the start position at 1.",
        ),
        (
            {"asset_tags": "  "},
            "asset_tags",
            "No device chosen: give at least one asset tag or device.",
        ),
        (
            {"asset_tags": "OP-000001 OP-999999"},
            "asset_tags",
            "No device has this asset tag: OP-999999.",
        ),
        (
            {"asset_tags": "OP-000001 OP-000002", "format": "png", "layout": "QL62"},
            "format",
            "A PNG holds one label: choose one device, or the PDF for 2 labels.",
        ),
        (
            {"source": "donation", "donation": 999999},
            None,
            "This donation does not exist.",
        ),
        (
            {"source": "filters", "filters": "colour=red"},
            None,
            "Unknown filter “colour”. The filters are: q, status, kind, donation, location, asset_tag.",
        ),
    ],
)
def test_bad_requests_are_shown_on_the_form(client_as, technician, data, field, message):
    DeviceFactory(asset_tag="OP-000001")
    DeviceFactory(asset_tag="OP-000002")
    form = post_print(client_as(technician), **data)
    assert form.errors == {field or "__all__": [message]}


def test_an_empty_donation_or_list_is_refused(client_as, technician):
    donation = DonationFactory()
    client = client_as(technician)
    form = post_print(client, source="donation", donation=donation.pk)
    assert form.non_field_errors() == [f"Donation {donation.number} has no device yet."]
    form = post_print(client, source="filters", filters="status=ready")
    assert form.non_field_errors() == ["No device matches these filters."]
    page = client.get(reverse("devices:label_print"), {"donation": donation.pk})
    assert page.context["selection_error"] == f"Donation {donation.number} has no device yet."


@pytest.mark.parametrize("donation", ["²", "١٢", "-1", "99999999999999999999"])
def test_a_donation_number_that_cannot_be_one_is_refused_on_the_form(client_as, technician, donation):
    client = client_as(technician)
    page = client.get(reverse("devices:label_print"), {"donation": donation})
    assert page.status_code == 200
    assert page.context["selection_error"] == "This donation does not exist."
    form = post_print(client, source="donation", donation=donation)
    assert form.errors


def test_a_device_id_past_the_database_range_is_not_a_device():
    with pytest.raises(printing.DomainError, match="Give a list of device ids."):
        printing.select_devices(device_ids=[2**63])


def test_too_many_labels_are_refused(client_as, technician, monkeypatch):
    monkeypatch.setattr(printing, "MAX_LABELS_PER_REQUEST", 3)
    donation = DonationFactory()
    for number in range(1, 5):
        DeviceFactory(donation=donation, asset_tag=f"OP-{number:06d}")
    form = post_print(client_as(technician), source="donation", donation=donation.pk)
    assert form.non_field_errors() == [
        "4 labels is too many for one request: the maximum is 3. Narrow the list or print it in parts."
    ]
    with pytest.raises(printing.DomainError) as refused:
        printing.print_labels(layout="L7160", asset_tags=tags(range(1, 5)))
    assert refused.value.field == "asset_tags"


def test_printing_needs_one_way_of_naming_devices():
    with pytest.raises(
        printing.DomainError, match="Choose the devices in one way only: asset_tags, donation"
    ):
        printing.select_devices(asset_tags=["OP-000001"], donation=1)
    with pytest.raises(printing.DomainError, match="No device chosen"):
        printing.select_devices()


def test_trainers_may_print_but_not_everyone(client, client_as, trainer):
    DeviceFactory(asset_tag="OP-000001")
    url = reverse("devices:label_print")
    data = {"source": "tags", "asset_tags": "OP-000001", "layout": "L7160", "start_position": 1}

    anonymous = client.post(url, data)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))

    assert client_as(UserFactory()).post(url, data).status_code == 403  # no role: no devices

    response = client_as(trainer).post(url, data)
    assert response["Content-Type"] == "application/pdf"


def test_the_last_layout_used_is_proposed_next_time(client_as, technician):
    DeviceFactory(asset_tag="OP-000001")
    client = client_as(technician)
    url = reverse("devices:label_print")
    assert client.get(url).context["form"]["layout"].value() == "L7160"
    client.post(
        url, {"source": "tags", "asset_tags": "OP-000001", "layout": "DYMO99012", "start_position": 1}
    )
    assert client.get(url).context["form"]["layout"].value() == "DYMO99012"


# The command -----------------------------------------------------------------------------


def test_command_prints_a_donation(tmp_path, donation_of_30):
    output = tmp_path / "labels.pdf"
    out = io.StringIO()
    call_command(
        "print_labels", "--layout", "L7160", "--output", str(output), "--donation", str(donation_of_30.pk),
        stdout=out,
    )  # fmt: skip
    assert "30 label(s) on 2 page(s) of L7160" in out.getvalue()
    content = output.read_bytes()
    assert page_count(content) == 2
    assert_labels(scanned_slots(content), tags(range(1, 22)))


def test_command_prints_tags_from_a_start_position(tmp_path):
    for number in (5, 6):
        DeviceFactory(asset_tag=f"OP-{number:06d}")
    output = tmp_path / "labels.pdf"
    call_command(
        "print_labels", "op-000006", "OP-000005", "--layout", "L7160", "--output", str(output), "--start", "20",
        stdout=io.StringIO(),
    )  # fmt: skip
    content = output.read_bytes()
    assert page_count(content) == 1
    assert_labels(scanned_slots(content, slots=[19, 20, 21]), tags([5, 6]), first_slot=20)


def test_command_writes_a_png_for_one_device(tmp_path):
    DeviceFactory(asset_tag="OP-000008")
    output = tmp_path / "label.png"
    call_command(
        "print_labels", "OP-000008", "--layout", "DYMO99012", "--output", str(output), stdout=io.StringIO()
    )
    assert png_codes(output.read_bytes()) == {"QRCode": [f"{SITE}/d/OP-000008"], "Code128": ["OP-000008"]}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["OP-000001", "--layout", "A4"], "Unknown label layout “A4”. Choose one of: L7160, L7163, L7651"),
        (
            ["OP-000001", "--layout", "L7160", "--start", "0"],
            "The start position must be a number from 1 to 21",
        ),
        (["--layout", "L7160"], "No device given: give asset tags or --donation ID."),
        (["OP-000001", "--layout", "L7160", "--donation", "1"], "Give asset tags or --donation, not both."),
        (["OP-000404", "--layout", "L7160"], "No device has this asset tag: OP-000404."),
        (["--donation", "999999", "--layout", "L7160"], "This donation does not exist."),
    ],
)
def test_command_refuses_bad_input_and_writes_nothing(tmp_path, arguments, message):
    DeviceFactory(asset_tag="OP-000001")
    output = tmp_path / "labels.pdf"
    with pytest.raises(CommandError) as refused:
        call_command("print_labels", *arguments, "--output", str(output))
    assert message in str(refused.value)
    assert not output.exists()


def test_command_refuses_other_files_and_a_png_of_several(tmp_path):
    DeviceFactory(asset_tag="OP-000001")
    DeviceFactory(asset_tag="OP-000002")
    with pytest.raises(CommandError, match="--output must name a .pdf or .png file"):
        call_command("print_labels", "OP-000001", "--layout", "L7160", "--output", str(tmp_path / "a.txt"))
    with pytest.raises(CommandError, match="A PNG holds one label"):
        call_command(
            "print_labels", "OP-000001", "OP-000002", "--layout", "QL62", "--output", str(tmp_path / "a.png")
        )
    assert list(tmp_path.iterdir()) == []


# The API ---------------------------------------------------------------------------------


def test_api_prints_a_donation(api_as, technician, donation_of_30):
    response = api_as(technician).post(
        "/api/labels/", {"layout": "L7160", "donation": donation_of_30.pk}, format="json"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert page_count(response.content) == 2
    assert_labels(scanned_slots(response.content), tags(range(1, 22)))


def test_api_prints_ids_tags_and_filters_from_a_start_position(api_as, technician):
    devices = [DeviceFactory(asset_tag=f"OP-{number:06d}", kind="desktop" if number > 2 else "laptop")
               for number in (1, 2, 3, 4)]  # fmt: skip
    api = api_as(technician)
    for selection, expected in [
        ({"devices": [devices[3].pk, devices[0].pk]}, [1, 4]),
        ({"asset_tags": ["OP-000002", "op-000003"]}, [2, 3]),
        ({"filters": {"kind": "desktop", "status": ["collected", "ready"]}}, [3, 4]),
    ]:
        response = api.post(
            "/api/labels/",
            {"layout": "L7160", "start_position": 5, **selection},
            format="json",
            HTTP_ACCEPT="application/pdf",
        )
        assert response.status_code == 200, response.content[:300]
        assert_labels(scanned_slots(response.content, slots=range(1, 8)), tags(expected), first_slot=5)


def test_api_gives_a_png_for_one_device(api_as, technician):
    DeviceFactory(asset_tag="OP-000011")
    response = api_as(technician).post(
        "/api/labels/", {"layout": "QL62", "asset_tags": ["OP-000011"], "format": "png"}, format="json"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert png_codes(response.content) == {"QRCode": [f"{SITE}/d/OP-000011"], "Code128": ["OP-000011"]}


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"layout": "XL", "asset_tags": ["OP-000001"]},
            {"layout": ["Unknown label layout “XL”. Choose one of: L7160, L7163, L7651, QL62, DYMO99012."]},
        ),
        (
            {"layout": "L7160", "start_position": 0, "asset_tags": ["OP-000001"]},
            {
                "start_position": [
                    "The start position must be a number from 1 to 21: a sheet of L7160 has 21 labels."
                ],
                "code": "bad_start_position",
            },
        ),
        (
            {"layout": "L7160", "asset_tags": []},
            {
                "asset_tags": ["No device chosen: give at least one asset tag or device."],
                "code": "no_devices",
            },
        ),
        (
            {"layout": "L7160", "devices": [999999]},
            {"devices": ["Unknown device: 999999."], "code": "unknown_device"},
        ),
        (
            {"layout": "L7160", "devices": [2**70]},
            {"devices": {"0": ["Ensure this value is less than or equal to 9223372036854775807."]}},
        ),
        (
            {"layout": "L7160", "donation": 2**70},
            {"donation": ["Ensure this value is less than or equal to 9223372036854775807."]},
        ),
        (
            {"layout": "L7160", "filters": {"status": "melted"}},
            {
                "filters": [
                    "These filters cannot be used: Status: Select a valid choice. "
                    "melted is not one of the available choices."
                ],
                "code": "bad_filters",
            },
        ),
        (
            {"layout": "L7160"},
            {
                "detail": "No device chosen: give asset tags, a donation or the filters of the device list.",
                "code": "no_devices",
            },
        ),
    ],
)
def test_api_refuses_bad_requests_with_400(api_as, technician, body, errors):
    DeviceFactory(asset_tag="OP-000001")
    response = api_as(technician).post("/api/labels/", body, format="json", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == errors


def test_api_refuses_too_many_labels(api_as, technician, monkeypatch):
    monkeypatch.setattr(printing, "MAX_LABELS_PER_REQUEST", 2)
    for number in range(1, 4):
        DeviceFactory(asset_tag=f"OP-{number:06d}")
    response = api_as(technician).post("/api/labels/", {"layout": "L7160", "filters": {}}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "filters": [
            "3 labels is too many for one request: the maximum is 2. Narrow the list or print it in parts."
        ],
        "code": "too_many_labels",
    }


def test_api_label_of_one_device(api_as, technician):
    device = DeviceFactory(asset_tag="OP-000021")
    api = api_as(technician)
    response = api.get(f"/api/devices/{device.pk}/label.pdf", {"layout": "L7163", "start_position": 2})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    found = scanned_slots(response.content, LAYOUTS["L7163"], slots=[1, 2])
    assert_labels(found, ["OP-000021"], first_slot=2)

    response = api.get(f"/api/devices/{device.pk}/label.png", HTTP_ACCEPT="image/png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="etiquettes-OP-000021-QL62.png"'
    assert png_codes(response.content) == {"QRCode": [f"{SITE}/d/OP-000021"], "Code128": ["OP-000021"]}

    refused = api.get(f"/api/devices/{device.pk}/label.pdf", {"layout": "nope"})
    assert refused.status_code == 400 and "layout" in refused.json()
    assert api.get("/api/devices/999999/label.pdf").status_code == 404


def test_api_printing_needs_the_right_to_view_devices(api_client, api_as, trainer):
    device = DeviceFactory(asset_tag="OP-000001")
    body = {"layout": "L7160", "asset_tags": ["OP-000001"]}
    assert api_client.post("/api/labels/", body, format="json").status_code in (401, 403)
    assert api_client.get(f"/api/devices/{device.pk}/label.pdf").status_code in (401, 403)
    assert api_as(UserFactory()).post("/api/labels/", body, format="json").status_code == 403
    assert api_as(UserFactory()).get(f"/api/devices/{device.pk}/label.pdf").status_code == 403
    response = api_as(trainer).post("/api/labels/", body, format="json")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert api_as(trainer).get(f"/api/devices/{device.pk}/label.pdf").status_code == 200
