"""Text users type is shown as text everywhere: escaped in pages, kept verbatim in PDFs and
labels (never read as ReportLab markup), neutralised in spreadsheet exports; uploads are
limited in size and type."""

import io

import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.devices.forms import DeviceForm

from .conftest import build_world

SCRIPT = "<script>alert(1)</script>"
BOLD = "<b>x</b>"


def _pdf_text(content):
    pdf = pypdfium2.PdfDocument(content)
    return "\n".join(page.get_textpage().get_text_range() for page in pdf)


@pytest.fixture(params=[SCRIPT, BOLD])
def hostile(request, regie, mediatheque, trainer, technician, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    text = request.param
    return text, build_world(regie=regie, mediatheque=mediatheque, trainer=trainer, technician=technician,
                             household_name=text, text=text)  # fmt: skip


def test_pages_escape_what_users_typed(hostile, client_as, trainer, technician, coordinator):
    text, world = hostile
    escaped = text.replace("<", "&lt;").replace(">", "&gt;")
    pages = [
        (technician, world.device.get_absolute_url()),
        (technician, f"/donations/{world.donation.pk}/"),
        (technician, f"/donors/{world.donor.pk}/"),
        (trainer, world.household.get_absolute_url()),
        (trainer, f"/training/courses/{world.course.pk}/"),
        (trainer, f"/training/sessions/{world.session.pk}/"),
        (trainer, f"/allocations/{world.allocation.pk}/"),
        (coordinator, "/households/"),
        (coordinator, f"/reports/history/household/{world.household.pk}/"),
    ]
    for user, url in pages:
        body = client_as(user).get(url).content.decode()
        assert text not in body, url
        assert escaped in body, url


def test_pdfs_keep_the_text_as_typed(hostile, client_as, trainer, technician):
    text, world = hostile
    documents = [
        (technician, f"/donations/{world.donation.pk}/receipt.pdf"),
        (trainer, f"/allocations/{world.allocation.pk}/agreement.pdf"),
        (trainer, f"/training/sessions/{world.session.pk}/sheet.pdf"),
    ]
    for user, url in documents:
        response = client_as(user).get(url)
        assert response.status_code == 200, url
        assert text in _pdf_text(
            b"".join(response.streaming_content) if response.streaming else response.content
        ), url


def test_labels_keep_the_model_as_typed(hostile, api_as, technician):
    text, world = hostile
    response = api_as(technician).get(f"/api/devices/{world.device.pk}/label.pdf")
    assert response.status_code == 200
    pdf = _pdf_text(b"".join(response.streaming_content) if response.streaming else response.content)
    assert world.device.asset_tag in pdf
    assert text[:20] in pdf.replace("\n", "") or text in pdf


def test_exports_neutralise_formulas(
    regie, mediatheque, trainer, technician, coordinator, client_as, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    formula = '=HYPERLINK("http://evil.example","x")'
    build_world(regie=regie, mediatheque=mediatheque, trainer=trainer, technician=technician, text=formula)
    response = client_as(coordinator).get("/reports/handovers.csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert ",=HYPERLINK" not in body and ";=HYPERLINK" not in body and '"=HYPERLINK' not in body


# Uploads ------------------------------------------------------------------------------------


def _image(fmt="PNG", size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, fmt)
    return buffer.getvalue()


def _device_form(photo, device):
    data = {
        field: getattr(device, field) for field in ("kind", "brand", "model", "serial_number", "condition")
    }
    data = {k: v for k, v in data.items() if v is not None}
    return DeviceForm(data=data, files={"photo": photo}, instance=device)


def test_photo_must_be_a_real_image_of_an_allowed_format_and_small(db, in_english):
    from tests.devices.factories import DeviceFactory

    device = DeviceFactory()
    form = _device_form(SimpleUploadedFile("p.png", _image("PNG"), "image/png"), device)
    form.is_valid()
    assert "photo" not in form.errors

    fake = SimpleUploadedFile("p.jpg", b"<html>not an image</html>", "image/jpeg")
    form = _device_form(fake, device)
    assert not form.is_valid() and "photo" in form.errors

    gif = SimpleUploadedFile("p.gif", _image("GIF"), "image/gif")
    form = _device_form(gif, device)
    assert not form.is_valid()
    assert form.errors["photo"] == ["Send a JPEG, PNG or WebP photo."]

    big = SimpleUploadedFile("big.png", _image("PNG") + b"\0" * (5 * 1024 * 1024), "image/png")
    form = _device_form(big, device)
    assert not form.is_valid()
    assert "photo" in form.errors


def test_erasure_log_limited_through_the_api_too(world, api_as, technician, in_english):
    big = SimpleUploadedFile("wipe.log", b"x" * (2 * 1024 * 1024 + 1), "text/plain")
    response = api_as(technician).post(
        f"/api/devices/{world.spare.pk}/erasures/",
        {"method": "overwrite", "tool": "nwipe", "drive_serial": "D1", "result": "passed", "log_file": big},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["log_file"] == ["The log file must be smaller than 2 MB."]
    exe = SimpleUploadedFile("wipe.exe", b"MZ", "application/octet-stream")
    response = api_as(technician).post(
        f"/api/devices/{world.spare.pk}/erasures/",
        {"method": "overwrite", "tool": "nwipe", "drive_serial": "D1", "result": "passed", "log_file": exe},
        format="multipart",
    )
    assert response.status_code == 400
    assert "log_file" in response.json()


def test_import_file_limited_in_size_and_type(world, client_as, technician, in_english):
    client = client_as(technician)
    url = f"/donations/{world.donation.pk}/import/"
    response = client.post(url, {"file": SimpleUploadedFile("x.exe", b"MZ")})
    assert "Send a .csv or .xlsx file." in response.content.decode()
    big = SimpleUploadedFile("x.csv", b"a," * (3 * 1024 * 1024))
    response = client.post(url, {"file": big})
    assert "The file must be smaller than 5 MB." in response.content.decode()
