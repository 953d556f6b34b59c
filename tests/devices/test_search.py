"""The device list's text search, through its trigram index on each database."""

import pytest
from django.db import connection
from django.urls import reverse

from apps.devices import services
from apps.devices.models import Device, StatusChange

from .factories import DeviceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stock():
    DeviceFactory(asset_tag="OP-000101", brand="Dell", model="Latitude E7450", serial_number="5CG7281XYZ")
    DeviceFactory(asset_tag="OP-000102", brand="HP", model="ProDesk 600 G2", serial_number="CZC6301ABC")
    DeviceFactory(asset_tag="OP-000103", brand="Lenovo", model='ThinkPad 14" T460', serial_number="PF0ZK9Q1")


@pytest.fixture
def found(client_as, technician, stock):
    client = client_as(technician)

    def search(text, url=None):
        url = url or reverse("devices:device_list")
        response = client.get(url, {"q": text})
        assert response.status_code == 200
        if url.startswith("/api/"):
            body = response.json()
            tags = sorted(row["asset_tag"] for row in body["results"])
            assert body["count"] == len(tags)
            return tags
        return sorted(device.asset_tag for device in response.context["object_list"])

    return search


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("latitude", ["OP-000101"]),  # a word of the model, any case
        ("LATI", ["OP-000101"]),
        ("1xyz", ["OP-000101"]),  # the end of a serial number
        ("op-00010", ["OP-000101", "OP-000102", "OP-000103"]),  # a piece of the tag
        ("dell latitude", ["OP-000101"]),  # brand and model, as people say it
        ("  prodesk   600 ", ["OP-000102"]),  # stray spaces
        ('14" t4', ["OP-000103"]),  # a quote in the text
        ("hp", ["OP-000102"]),  # two letters: shorter than a trigram, found all the same
        ("nowhere", []),
        ("a%b_", []),  # LIKE's wildcards are plain characters
    ],
)
def test_search_finds_a_piece_of_tag_serial_brand_or_model(found, text, tags):
    assert found(text) == tags
    assert found(text, "/api/devices/") == tags


def test_edits_imports_and_deletions_reach_the_search(found, technician):
    device = Device.objects.get(asset_tag="OP-000102")
    services.update_device(device, actor=technician, model="EliteDesk 800 G3")
    assert found("elitedesk") == ["OP-000102"]
    assert found("prodesk") == []

    services.import_devices(
        donation=device.donation,
        content="Type;Marque;Modèle;Numéro de série\nPortable;Fujitsu;Lifebook E548;DSFU0001\n".encode(),
        filename="lot.csv",
        actor=technician,
    )
    assert len(found("lifebook")) == 1

    # Devices are kept for their history; a database clean-up is the one way one goes.
    StatusChange.objects.filter(device__asset_tag="OP-000103").delete()
    Device.objects.filter(asset_tag="OP-000103").delete()
    assert found("thinkpad") == []


def test_the_search_reads_through_the_index(stock):
    from apps.devices.search import matching

    sql, params = matching(Device.objects.all(), "latitude").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A table this small would be read whole or along its primary key: forbid both.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            assert "device_search_trgm" in " ".join(row[0] for row in cursor.fetchall())
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            assert "devices_device_search VIRTUAL TABLE INDEX" in " ".join(
                str(row[3]) for row in cursor.fetchall()
            )
