"""Importing a donor's inventory: a preview, then every row or none, problems by row number."""

from pathlib import Path

import openpyxl
import pytest

from apps.devices import services
from apps.devices.importing import read_device_file
from apps.devices.models import Device
from apps.devices.services import ImportRejected

from .factories import DeviceFactory, DonationFactory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"

GOOD_CSV = (
    "type,marque,modèle,numéro de série,RAM,stockage,poids,état,prix\n"
    'portable,Dell,Latitude E7450,SN-1,8 Go,256 Go,"1,6",B,10\n'
    "Écran,Iiyama,ProLite,SN-2,,0,3.4 kg,a,5\n"
    "unité centrale,HP,ProDesk,SN-3,4,1 To,,,\n"
)


def run_import(technician, content, filename="inventaire.csv", dry_run=False, donation=None):
    donation = donation or DonationFactory()
    result = services.import_devices(
        donation=donation, content=content, filename=filename, actor=technician, dry_run=dry_run
    )
    return donation, result


def rejected(technician, content, filename="inventaire.csv", donation=None):
    with pytest.raises(ImportRejected) as exc:
        run_import(technician, content, filename, donation=donation)
    return exc.value.errors


def test_a_good_file_creates_every_device_with_tags_history_and_timeline(technician):
    donation, result = run_import(technician, GOOD_CSV.encode())
    devices = list(Device.objects.filter(donation=donation).order_by("asset_tag"))
    assert [
        (d.kind, d.serial_number, d.ram_gb, d.storage_gb, d.weight_kg and str(d.weight_kg)) for d in devices
    ] == [
        ("laptop", "SN-1", 8, 256, "1.60"),
        ("screen", "SN-2", None, 0, "3.40"),
        ("desktop", "SN-3", 4, 1000, None),
    ]
    assert [d.asset_tag for d in devices] == ["OP-000001", "OP-000002", "OP-000003"]
    assert result.ignored_columns == ["prix"]
    for device in devices:
        record = device.history.get()
        assert record.history_user == technician
        assert record.history_actor_name == technician.get_full_name()
        assert (record.history_type, record.history_change_reason) == ("+", "Imported from a file")
        # The history row is the device as written, field by field.
        fields = [field.attname for field in Device._meta.concrete_fields]
        assert [getattr(record, name) for name in fields] == [getattr(device, name) for name in fields]
        assert device.status_changes.get().to_status == "collected"


def test_dry_run_previews_and_writes_nothing(technician):
    _, result = run_import(technician, GOOD_CSV.encode(), dry_run=True)
    assert [d.serial_number for d in result.devices] == ["SN-1", "SN-2", "SN-3"]
    assert not result.committed
    assert Device.objects.count() == 0
    assert Device.history.count() == 0


def test_semicolon_separated_windows_1252_file(technician):
    content = "Type;Marque;Modèle;N° de série\nportable;Dell;Précision;W-1\n".encode("cp1252")
    donation, _ = run_import(technician, content)
    assert Device.objects.get(donation=donation).model == "Précision"


def test_libreoffice_xlsx(technician):
    content = (DATA / "inventaire-libreoffice.xlsx").read_bytes()
    donation, _ = run_import(technician, content, filename="inventaire-libreoffice.xlsx")
    assert list(
        Device.objects.filter(donation=donation)
        .order_by("serial_number")
        .values_list("serial_number", "kind", "ram_gb", "storage_gb", "condition")
    ) == [
        ("LO-P22-001", "screen", None, 0, "a"),
        ("LO-T470-001", "laptop", 8, 256, "b"),
        ("LO-T470-002", "laptop", 8, 256, "c"),
    ]


def test_every_bad_row_is_reported_by_number_and_nothing_is_written(technician):
    DeviceFactory(serial_number="TAKEN-1", asset_tag="OP-000099")
    content = (
        "type,marque,numéro de série,ram,poids\n"
        "portable,Dell,A-1,8,1.5\n"  # row 2: fine
        "frigo,Dell,A-2,8,1.5\n"  # row 3: unknown kind
        "portable,Dell,A-1,8,1.5\n"  # row 4: duplicate of row 2
        "portable,Dell,TAKEN-1,huit,-2\n"  # row 5: taken serial, bad RAM, negative weight
    ).encode()
    errors = rejected(technician, content)
    assert [(e["row"], e["field"]) for e in errors] == [
        (3, "kind"),
        (4, "serial_number"),
        (5, "ram_gb"),
        (5, "weight_kg"),
    ]
    assert "Unknown kind “frigo”" in errors[0]["message"]
    assert "also appears on row 2" in errors[1]["message"]
    assert Device.objects.count() == 1
    # The taken serial on a row that has other errors is reported once those are fixed.
    errors = rejected(technician, b"type,serial\nportable,TAKEN-1\n")
    assert errors == [
        {
            "row": 2,
            "field": "serial_number",
            "message": "Serial number TAKEN-1 is already recorded on device OP-000099.",
        }
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\n\n  \n", "The file is empty."),
        (b"type,brand\n", "The file has no device rows."),
        ("type,marque\nportable,Dell\n".encode("utf-16"), "encoding cannot be read"),
        (b"brand,model\nDell,E7450\n", "needs a column"),
    ],
)
def test_unreadable_files_are_rejected_with_a_clear_message(technician, content, message):
    errors = rejected(technician, content)
    assert message in errors[0]["message"]
    assert Device.objects.count() == 0


def test_a_broken_xlsx_is_rejected(technician):
    errors = rejected(technician, b"PK\x03\x04 not really a zip", filename="x.xlsx")
    assert errors[0]["message"] == "This is not a readable XLSX spreadsheet."


def test_xlsx_written_by_openpyxl_with_numbers_and_blank_lines(technician, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([])
    sheet.append(["Kind", "Brand", "Serial number", "RAM", "Weight"])
    sheet.append(["laptop", "Asus", 123456, 16.0, 2.1])
    sheet.append([None, None, None, None, None])
    sheet.append(["tablet", "Samsung", "TAB-1", 4, 0.5])
    path = tmp_path / "inv.xlsx"
    workbook.save(path)
    donation, _ = run_import(technician, path.read_bytes(), filename="inv.xlsx")
    assert sorted(Device.objects.filter(donation=donation).values_list("serial_number", "ram_gb")) == [
        ("123456", 16),
        ("TAB-1", 4),
    ]


def test_line_breaks_of_every_system_and_inside_quoted_fields_are_read(technician):
    # Old Mac files end their lines with a bare carriage return; a quoted note may hold one.
    content = b'type,marque,notes\rportable,Dell,"rayure\r\ncapot"\rtablette,Samsung,\r'
    donation, _ = run_import(technician, content)
    assert sorted(Device.objects.filter(donation=donation).values_list("brand", "notes")) == [
        ("Dell", "rayure\r\ncapot"),
        ("Samsung", ""),
    ]


def test_a_csv_the_reader_cannot_split_is_rejected_with_a_message(technician):
    # The csv module's own limit on one field (131,072 characters), far below the size limit.
    errors = rejected(technician, b"type,notes\nportable," + b"a" * 140_000 + b"\n")
    assert errors[0]["row"] == 0
    assert errors[0]["message"].startswith("This CSV file cannot be read: field larger than field limit")
    assert Device.objects.count() == 0


@pytest.mark.parametrize(
    ("column", "value"),
    [("ram", "1" + "0" * 400), ("ram", "3000000000"), ("ram", "4096 Go"), ("stockage", "200 To")],
)
def test_an_absurd_size_is_refused_on_its_row(technician, column, value):
    errors = rejected(technician, f"type,{column}\nportable,{value}\nportable,8\n".encode())
    assert [(e["row"], e["field"]) for e in errors] == [(2, "ram_gb" if column == "ram" else "storage_gb")]
    assert Device.objects.count() == 0


def test_nan_is_not_a_weight(technician):
    errors = rejected(technician, b"type,poids\nportable,NaN\nportable,1.5\n")
    assert [(e["row"], e["field"]) for e in errors] == [(2, "weight_kg")]
    assert Device.objects.count() == 0


def test_a_bad_value_repeated_on_several_rows_is_reported_on_each_row(technician):
    # The model's own checks (here the weight's 6 digits) still apply to every row, even
    # when rows repeat the same values.
    content = (
        "type,poids,état\n"
        "portable,12345.5,b\n"  # row 2: too many digits
        "portable,1.5,b\n"  # row 3: fine
        "portable,12345.5,b\n"  # row 4: too many digits again
    ).encode()
    errors = rejected(technician, content)
    assert [(e["row"], e["field"]) for e in errors] == [(2, "weight_kg"), (4, "weight_kg")]
    assert (
        errors[0]["message"]
        == errors[1]["message"]
        == "Ensure that there are no more than 6 digits in total."
    )
    assert Device.objects.count() == 0


def test_common_french_headers_and_kinds_are_read():
    content = "Type;N° série;Mémoire vive (Go);Disque dur (Go)\nOrdinateur de bureau;SN-42;8;500\n"
    parsed = read_device_file(content.encode("cp1252"), "inventaire.csv")
    assert (parsed.ignored_columns, parsed.errors) == ([], [])
    ((_row, fields),) = parsed.rows
    assert (fields["kind"], fields["serial_number"], fields["ram_gb"], fields["storage_gb"]) == (
        "desktop",
        "SN-42",
        8,
        500,
    )


def test_a_drive_under_a_gigabyte_is_still_a_drive_to_erase(technician):
    # 0 would mean "no drive": the device could be made ready without any erasure.
    result = services.import_devices(
        donation=DonationFactory(),
        content=b"type;stockage\nportable;256 Mo\n",
        filename="inventaire.csv",
        actor=technician,
        dry_run=True,
    )
    assert result.devices[0].storage_gb == 1
