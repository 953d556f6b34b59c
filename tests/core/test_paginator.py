"""The list paginator that reads a page's ids first, then its rows."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.paginator import DeferredJoinPaginator
from apps.devices.choices import DeviceStatus
from apps.devices.models import Device
from tests.devices.factories import DeviceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def devices():
    for n in range(23):
        DeviceFactory(status=DeviceStatus.READY if n % 3 else DeviceStatus.DIAGNOSIS, model=f"Model {n}")


def test_pages_hold_the_same_rows_in_the_same_order_as_django_paginator(devices):
    listed = (
        Device.objects.filter(status=DeviceStatus.READY).select_related("donation__donor").order_by("-pk")
    )
    ours, django = DeferredJoinPaginator(listed, 4), Paginator(listed, 4)
    assert ours.num_pages == django.num_pages == 4
    for number in ours.page_range:
        assert list(ours.page(number)) == list(django.page(number))


def test_a_page_brings_its_joined_rows_along(devices):
    listed = Device.objects.select_related("donation__donor").order_by("-pk")
    page = DeferredJoinPaginator(listed, 10).page(2)
    with CaptureQueriesContext(connection) as queries:
        donors = [device.donation.donor.name for device in page]
    assert len(donors) == 10 and len(queries) == 0


def test_annotated_rows_keep_their_annotations(devices):
    listed = Device.objects.annotate(label=F("model")).order_by("pk")
    page = DeferredJoinPaginator(listed, 5).page(1)
    assert [device.label for device in page] == [f"Model {n}" for n in range(5)]


def test_a_text_search_reads_its_index_once_for_the_ids_and_once_for_the_count(client_as, technician):
    for n in range(30):
        DeviceFactory(model=f"Latitude {n}")
    with CaptureQueriesContext(connection) as queries:
        response = client_as(technician).get(reverse("devices:device_list"), {"q": "latitude", "page": 2})
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 5
    searched = [q["sql"] for q in queries if "devices_device_search" in q["sql"] or "latitude" in q["sql"]]
    assert len(searched) == 2


def test_a_capped_count_stops_at_the_cap_and_says_so(devices):
    listed = Device.objects.order_by("-pk")
    capped = DeferredJoinPaginator(listed, 4, count_cap=10)
    assert (capped.count, capped.count_is_capped, capped.num_pages) == (10, True, 3)
    assert list(capped.page(3)) == list(Paginator(listed, 4).page(3))[:2]
    plain = DeferredJoinPaginator(list(range(50)), 4, count_cap=20)
    assert (plain.count_is_capped, plain.count) == (True, 20)
    exact = DeferredJoinPaginator(listed, 4, count_cap=23)
    assert (exact.count, exact.count_is_capped) == (23, False)


def test_a_text_search_matching_more_than_the_cap_says_more_than(
    client_as, technician, monkeypatch, in_english
):
    from apps.devices.views import DeviceListView

    monkeypatch.setattr(DeviceListView, "search_count_cap", 10)
    for n in range(12):
        DeviceFactory(model=f"Latitude {n}")
    DeviceFactory(model="ThinkPad")
    client = client_as(technician)
    html = client.get(reverse("devices:device_list"), {"q": "latitude"}).content.decode()
    assert "More than 10 devices: refine the search to see them all." in html
    # Past the cap: the last page, which says to refine the search, not "not found".
    monkeypatch.setattr(DeviceListView, "paginate_by", 4)
    response = client.get(reverse("devices:device_list"), {"q": "latitude", "page": 99})
    assert response.status_code == 200
    assert "Page 3 of 3+" in response.content.decode()
    assert len(response.context["object_list"]) == 2  # the 9th and 10th of the first ten
    assert client.get(reverse("devices:device_list"), {"q": "thinkpad", "page": 99}).status_code == 404
    html = client.get(reverse("devices:device_list"), {"q": "latitude 1"}).content.decode()
    assert "3 devices" in html  # Latitude 1, 10, 11: under the cap, counted exactly
    html = client.get(reverse("devices:device_list")).content.decode()
    assert "13 devices" in html  # no search, no cap
