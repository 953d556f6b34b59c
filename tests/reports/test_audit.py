"""The audit history: who changed what, before → after; filters; pages; masked personal data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.history import actor_name
from apps.households import services as households
from apps.reports import audit
from tests.devices.factories import DeviceFactory

from .conftest import at, paris

pytestmark = pytest.mark.django_db

HISTORY = reverse("reports:history")


@pytest.fixture
def changed(seeded, coordinator):
    """The coordinator corrects a household's phone number and neighbourhood."""
    with at(paris(2025, 3, 14, 16)):
        households.update_household(
            seeded.h1,
            actor=coordinator,
            phone="06 11 22 33 44",
            neighbourhood=seeded.evil,
            reason="New number",
        )
    return seeded


def entries_of(response):
    assert response.status_code == 200
    return response.context["entries"]


def test_entry_says_who_when_and_before_after(client_as, coordinator, changed, in_english):
    response = client_as(coordinator).get(f"{HISTORY}?kind=household&actor={coordinator.pk}")
    entry = entries_of(response)[0]
    assert (entry.kind.key, entry.object_id, entry.type) == ("household", changed.h1.pk, "~")
    assert entry.who == actor_name(coordinator)
    assert entry.when == paris(2025, 3, 14, 16)
    assert entry.reason == "New number"
    changes = {change.field: (change.before, change.after) for change in entry.changes}
    assert changes["phone"][1] == "06 11 22 33 44"
    assert changes["neighbourhood"] == ("Les Buers", changed.evil.name)  # named, not "#3"
    html = response.content.decode()
    assert "06 11 22 33 44" in html and actor_name(coordinator) in html
    assert f'href="{changed.h1.get_absolute_url()}"' in html


def test_status_moves_show_before_and_after(client_as, coordinator, seeded, in_english):
    url = reverse("reports:object_history", args=["device", seeded.a3.pk])
    entries = entries_of(client_as(coordinator).get(url))
    moves = [
        {c.field: (c.before, c.after) for c in e.changes}.get("status")
        for e in entries
        if e.kind.key == "device"
    ]
    # Newest first: the cancelled reservation, and before it the reservation.
    assert moves[:2] == [("Reserved", "Ready"), ("Ready", "Reserved")]
    # The device's erasures are part of its history.
    assert any(e.kind.key == "erasure" and e.device_tag == seeded.a3.asset_tag for e in entries)
    creation = entries[-1]
    assert creation.type == "+" and creation.kind.key == "device"
    assert {c.field: c.after for c in creation.changes}["model"] == "Latitude 5490"


def test_filters_by_user_kind_and_dates(client_as, coordinator, other_trainer, changed):
    client = client_as(coordinator)
    by_user = entries_of(client.get(f"{HISTORY}?actor={other_trainer.pk}"))
    assert by_user and {e.who for e in by_user} == {actor_name(other_trainer)}
    by_kind = entries_of(client.get(f"{HISTORY}?kind=allocation"))
    assert by_kind and {e.kind.key for e in by_kind} == {"allocation"}
    by_day = entries_of(client.get(f"{HISTORY}?since=2025-03-14&until=2025-03-14"))
    assert [(e.kind.key, e.object_id) for e in by_day] == [("household", changed.h1.pk)]
    new_year = entries_of(client.get(f"{HISTORY}?since=2025-01-01&until=2025-01-01&kind=allocation"))
    assert [e.object_id for e in new_year] == [
        changed.a3_alloc.pk
    ]  # 00:30 in Paris, 23:30 UTC the day before
    bad = client.get(f"{HISTORY}?since=2025-03-14&until=2025-03-01")
    assert bad.status_code == 200 and bad.context["entries"] == []


def test_pages_walk_the_whole_trail_newest_first(seeded):
    everything = audit.history_page(size=10_000).entries
    assert len(everything) > 40
    seen, cursor = [], ""
    while True:
        page = audit.history_page(size=7, cursor=cursor)
        seen += page.entries
        if not page.older:
            break
        cursor = page.older
    key = [(e.kind.key, e.record.history_id) for e in seen]
    assert key == [(e.kind.key, e.record.history_id) for e in everything]
    assert len(set(key)) == len(key)

    # Each entry is compared with its record's previous version, whether or not that
    # version is on the same page: the same changes as against the row read on its own.
    def previous_of(entry):
        history = entry.kind.history_model.objects
        rows = history.filter(id=entry.record.id, history_id__lt=entry.record.history_id)
        return rows.order_by("-history_id").first()

    def shown(changes):
        return [(c.field, c.before, c.after) for c in changes]

    expected = []
    for entry in seen:
        reference = audit.Entry(entry.kind, entry.record, audit.changes_of(entry.record, previous_of(entry)))
        audit._show_page([reference])
        expected.append(shown(reference.changes))
    assert [shown(e.changes) for e in seen] == expected
    assert sum(1 for e in seen if e.type == "~" and e.changes) > 10
    whens = [e.when for e in seen]
    assert whens == sorted(whens, reverse=True)
    # Back towards the present from the third page gives the second page again.
    second = audit.history_page(size=7, cursor=audit.history_page(size=7).older)
    third = audit.history_page(size=7, cursor=second.older)
    back = audit.history_page(size=7, cursor=third.newer, newer=True)
    assert [e.cursor for e in back.entries] == [e.cursor for e in second.entries]


def test_page_links_keep_the_filters(client_as, coordinator, seeded, monkeypatch):
    monkeypatch.setattr("apps.reports.views.HISTORY_PAGE_SIZE", 5)
    response = client_as(coordinator).get(f"{HISTORY}?kind=device")
    html = response.content.decode()
    older = response.context["page"].older
    assert older and f"?kind=device&amp;older={older}" in html
    assert response.context["page"].newer is None
    next_page = client_as(coordinator).get(f"{HISTORY}?kind=device&older={older}")
    assert {e.kind.key for e in entries_of(next_page)} == {"device"}
    assert next_page.context["page"].newer


def test_history_queries_are_bounded_whatever_the_data(
    client_as, coordinator, seeded, django_assert_max_num_queries
):
    """One query for where the candidates stand, one per kind of record on the page (its rows
    and their previous versions), one per kind of record the changes name, one for device
    tags: a ceiling that does not move with the size of the trail."""
    client = client_as(coordinator)
    client.get(HISTORY)
    for _ in range(2):
        for url in (
            HISTORY,
            f"{HISTORY}?kind=device",
            reverse("reports:object_history", args=["device", seeded.a3.pk]),
        ):
            # 3 for the session and permissions, 1 for the candidates, at most 8 kinds on the
            # page, 5 kinds of record named, 1 for tags, 1 for the filter's users.
            with django_assert_max_num_queries(19):
                assert client.get(url).status_code == 200
        for _ in range(60):
            DeviceFactory()


def test_the_kinds_of_records_read_add_no_query(seeded):
    """Where the candidates of every kind stand is one query, whether the feed reads one kind
    of record or all eight: a page of device changes costs the same either way."""
    donation = seeded.a3.donation
    for _ in range(6):
        DeviceFactory(donation=donation)
    with CaptureQueriesContext(connection) as devices_only:
        only = audit.history_page(kinds=["device"], size=5)
    with CaptureQueriesContext(connection) as every_kind:
        everything = audit.history_page(size=5)
    assert [e.cursor for e in only.entries] == [e.cursor for e in everything.entries]
    assert {e.kind.key for e in everything.entries} == {"device"}
    assert len(every_kind.captured_queries) == len(devices_only.captured_queries)


def test_personal_fields_are_masked_for_who_may_not_see_them(
    changed, coordinator, trainer, other_trainer, technician
):
    def phone_change(user):
        page = audit.history_page(record=("household", changed.h1.pk))
        entry = audit.mask_personal(page.entries, user)[0]
        return entry.title, {c.field: (c.before, c.after) for c in entry.changes}["phone"]

    assert phone_change(coordinator)[1][1] == "06 11 22 33 44"
    # h1 was registered by the trainer's structure: theirs to see.
    assert phone_change(trainer) == ("Awa Diallo", phone_change(coordinator)[1])
    for stranger in (other_trainer, technician):
        title, phone = phone_change(stranger)
        assert phone == (audit.MASK, audit.MASK)
        assert title == f"Household no. {changed.h1.pk}" or "Awa Diallo" not in title


def test_masking_keeps_what_is_not_personal(changed, technician):
    page = audit.history_page(record=("household", changed.h1.pk))
    entry = audit.mask_personal(page.entries, technician)[0]
    changes = {c.field: (c.before, c.after) for c in entry.changes}
    assert changes["neighbourhood"] == ("Les Buers", changed.evil.name)
    assert entry.masked and "Awa" not in entry.title


def test_object_history_page(client_as, coordinator, changed, in_english):
    url = reverse("reports:object_history", args=["household", changed.h1.pk])
    response = client_as(coordinator).get(url)
    entries = entries_of(response)
    assert [e.type for e in entries] == ["~", "+"]
    assert "History of Awa Diallo" in response.content.decode()
    assert (
        client_as(coordinator).get(reverse("reports:object_history", args=["salary", 1])).status_code == 404
    )


@pytest.mark.parametrize("kind", ["device", "household", "intervention"])
def test_the_history_of_an_id_past_the_database_range_is_not_found(client_as, coordinator, kind):
    url = reverse("reports:object_history", args=[kind, 2**63])
    assert client_as(coordinator).get(url).status_code == 404


@pytest.mark.parametrize("cursor", ["not-a-cursor", f"1.0.{2**64}", "1.99.5", "1.-1.5", "1.0.0"])
def test_a_forged_cursor_starts_from_the_top(seeded, cursor):
    first = audit.history_page(size=5)
    assert [e.cursor for e in audit.history_page(size=5, cursor=cursor).entries] == [
        e.cursor for e in first.entries
    ]


def test_moments_are_written_as_html_accepts_them(client_as, coordinator, seeded):
    import re

    DeviceFactory()  # written now, with microseconds
    html = client_as(coordinator).get(HISTORY).content.decode()
    stamps = re.findall(r'<time datetime="([^"]+)"', html)
    assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp) for stamp in stamps)
