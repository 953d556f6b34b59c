"""The role-and-scope matrix: every screen and every API operation, for every actor.

Columns, in order: anonymous, technician, trainer of the owning structure, trainer of
another structure, coordinator. Each test seeds one object of each kind (``conftest``) and
points the URL at it. A screen or an API operation added to the site without a row here
fails ``test_every_screen_is_in_the_matrix`` / ``test_every_api_operation_is_in_the_matrix``.

Reading the codes: 302 for anonymous is the redirect to the login page; 404 for the other
structure's trainer is an object outside their scope; 405 is a POST-only action reached with
GET; for API writes the body is empty, so 400/409 mean "allowed to try, refused on content".
"""

from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from .matrix_support import ACTORS, api_operations, api_url, page_names, page_url

# fmt: off
PAGES = {
    "allocations:allocation_agreement": (302, 404, 200, 404, 200),
    "allocations:allocation_cancel": (302, 405, 405, 405, 405),
    "allocations:allocation_convert": (302, 405, 405, 405, 405),
    "allocations:allocation_create": (302, 403, 200, 200, 200),
    "allocations:allocation_detail": (302, 200, 200, 404, 200),
    "allocations:allocation_hand_over": (302, 405, 405, 405, 405),
    "allocations:allocation_list": (302, 200, 200, 200, 200),
    "allocations:allocation_lost": (302, 405, 405, 405, 405),
    "allocations:allocation_return": (302, 405, 405, 405, 405),
    "allocations:follow_up_create": (302, 405, 405, 405, 405),
    "core:home": (302, 200, 200, 200, 200),
    "core:privacy": (302, 403, 403, 403, 200),
    "devices:device_detail": (302, 200, 200, 200, 200),
    "devices:device_find": (302, 302, 302, 302, 302),
    "devices:device_list": (302, 200, 200, 200, 200),
    "devices:device_photo": (302, 404, 404, 404, 404),
    "devices:device_short": (302, 302, 302, 302, 302),
    "devices:device_timeline": (302, 200, 200, 200, 200),
    "devices:device_transition": (302, 405, 405, 405, 405),
    "devices:device_update": (302, 200, 403, 403, 403),
    "devices:donation_bulk_transition": (302, 405, 405, 405, 405),
    "devices:donation_create": (302, 200, 403, 403, 403),
    "devices:donation_detail": (302, 200, 403, 403, 200),
    "devices:donation_import": (302, 200, 403, 403, 403),
    "devices:donation_import_confirm": (302, 405, 405, 405, 405),
    "devices:donation_list": (302, 200, 403, 403, 200),
    "devices:donation_receipt": (302, 200, 403, 403, 200),
    "devices:donation_update": (302, 200, 403, 403, 403),
    "devices:donor_create": (302, 200, 403, 403, 403),
    "devices:donor_detail": (302, 200, 403, 403, 200),
    "devices:donor_list": (302, 200, 403, 403, 200),
    "devices:donor_update": (302, 200, 403, 403, 403),
    "devices:erasure_create": (302, 200, 403, 403, 403),
    "devices:erasure_log": (302, 200, 403, 403, 200),
    "devices:intervention_create": (302, 200, 403, 403, 403),
    "devices:label_print": (302, 200, 200, 200, 200),
    "households:household_anonymise": (302, 403, 403, 403, 200),
    "households:household_create": (302, 403, 200, 200, 403),
    "households:household_export": (302, 403, 403, 403, 200),
    "households:household_detail": (302, 403, 200, 404, 200),
    "households:household_list": (302, 403, 200, 200, 200),
    "households:household_update": (302, 403, 200, 404, 403),
    "households:neighbourhood_create": (302, 403, 403, 403, 200),
    "households:neighbourhood_list": (302, 403, 200, 200, 200),
    "households:neighbourhood_update": (302, 403, 403, 403, 200),
    "login": (200, 200, 200, 200, 200),
    "logout": (302, 405, 405, 405, 405),
    "password_change": (302, 200, 200, 200, 200),
    "password_change_done": (302, 200, 200, 200, 200),
    "password_reset": (200, 200, 200, 200, 200),
    "password_reset_complete": (200, 200, 200, 200, 200),
    "password_reset_confirm": (200, 200, 200, 200, 200),
    "password_reset_done": (200, 200, 200, 200, 200),
    "reports:dashboard": (302, 403, 403, 403, 200),
    "reports:handovers": (302, 403, 403, 403, 200),
    "reports:history": (302, 403, 403, 403, 200),
    "reports:object_history": (302, 403, 403, 403, 200),
    "reports:report_pdf": (302, 403, 403, 403, 200),
    "reports:report_xlsx": (302, 403, 403, 403, 200),
    "reports:table_export": (302, 403, 403, 403, 200),
    "set_language": (302, 302, 302, 302, 302),
    "training:course_create": (302, 403, 200, 200, 403),
    "training:course_detail": (302, 403, 200, 404, 200),
    "training:course_list": (302, 403, 200, 200, 200),
    "training:course_update": (302, 403, 200, 404, 403),
    "training:enrolment_create": (302, 403, 200, 404, 403),
    "training:enrolment_withdraw": (302, 403, 200, 404, 403),
    "training:session_attendance": (302, 403, 405, 405, 403),
    "training:session_create": (302, 403, 200, 404, 403),
    "training:session_detail": (302, 403, 200, 404, 200),
    "training:session_sheet": (302, 403, 200, 404, 200),
    "training:session_update": (302, 403, 200, 404, 403),
}

API = {
    ("GET", "/api/allocations/"): (403, 200, 200, 200, 200),
    ("POST", "/api/allocations/"): (403, 403, 400, 400, 400),
    ("GET", "/api/allocations/{id}/"): (403, 200, 200, 404, 200),
    ("GET", "/api/allocations/{id}/agreement.pdf/"): (403, 404, 200, 404, 200),
    ("POST", "/api/allocations/{id}/cancel/"): (403, 403, 409, 404, 409),
    ("POST", "/api/allocations/{id}/convert_to_gift/"): (403, 403, 409, 404, 409),
    ("POST", "/api/allocations/{id}/declare_lost/"): (403, 403, 200, 404, 409),
    ("POST", "/api/allocations/{id}/hand_over/"): (403, 403, 409, 404, 409),
    ("POST", "/api/allocations/{id}/return/"): (403, 403, 400, 400, 400),
    ("GET", "/api/attendance/"): (403, 403, 200, 200, 200),
    ("GET", "/api/attendance/{id}/"): (403, 403, 200, 404, 200),
    ("POST", "/api/auth/token/"): (400, 400, 400, 400, 400),
    ("GET", "/api/courses/"): (403, 403, 200, 200, 200),
    ("POST", "/api/courses/"): (403, 403, 400, 400, 403),
    ("GET", "/api/courses/{id}/"): (403, 403, 200, 404, 200),
    ("PATCH", "/api/courses/{id}/"): (403, 403, 200, 404, 403),
    ("PUT", "/api/courses/{id}/"): (403, 403, 400, 404, 403),
    ("GET", "/api/devices/"): (403, 200, 200, 200, 200),
    ("POST", "/api/devices/"): (403, 400, 403, 403, 403),
    ("POST", "/api/devices/transition/"): (403, 400, 403, 403, 403),
    ("GET", "/api/devices/{id}/"): (403, 200, 200, 200, 200),
    ("PATCH", "/api/devices/{id}/"): (403, 200, 403, 403, 403),
    ("PUT", "/api/devices/{id}/"): (403, 400, 403, 403, 403),
    ("GET", "/api/devices/{id}/erasures/"): (403, 200, 200, 200, 200),
    ("POST", "/api/devices/{id}/erasures/"): (403, 400, 403, 403, 403),
    ("GET", "/api/devices/{id}/interventions/"): (403, 200, 200, 200, 200),
    ("POST", "/api/devices/{id}/interventions/"): (403, 400, 403, 403, 403),
    ("GET", "/api/devices/{id}/label.pdf/"): (403, 200, 200, 200, 200),
    ("GET", "/api/devices/{id}/label.png/"): (403, 200, 200, 200, 200),
    ("GET", "/api/devices/{id}/timeline/"): (403, 200, 200, 200, 200),
    ("POST", "/api/devices/{id}/transition/"): (403, 400, 403, 403, 403),
    ("GET", "/api/donations/"): (403, 200, 403, 403, 200),
    ("POST", "/api/donations/"): (403, 400, 403, 403, 403),
    ("GET", "/api/donations/{id}/"): (403, 200, 403, 403, 200),
    ("PATCH", "/api/donations/{id}/"): (403, 200, 403, 403, 403),
    ("PUT", "/api/donations/{id}/"): (403, 400, 403, 403, 403),
    ("POST", "/api/donations/{id}/import/"): (403, 415, 403, 403, 403),
    ("GET", "/api/donations/{id}/receipt.pdf/"): (403, 200, 403, 403, 200),
    ("GET", "/api/donors/"): (403, 200, 403, 403, 200),
    ("POST", "/api/donors/"): (403, 400, 403, 403, 403),
    ("GET", "/api/donors/{id}/"): (403, 200, 403, 403, 200),
    ("PATCH", "/api/donors/{id}/"): (403, 200, 403, 403, 403),
    ("PUT", "/api/donors/{id}/"): (403, 400, 403, 403, 403),
    ("GET", "/api/enrolments/"): (403, 403, 200, 200, 200),
    ("POST", "/api/enrolments/"): (403, 403, 400, 400, 403),
    ("GET", "/api/enrolments/{id}/"): (403, 403, 200, 404, 200),
    ("POST", "/api/enrolments/{id}/withdraw/"): (403, 403, 400, 404, 403),
    ("GET", "/api/follow-ups/"): (403, 403, 200, 200, 200),
    ("POST", "/api/follow-ups/"): (403, 403, 400, 400, 400),
    ("GET", "/api/follow-ups/{id}/"): (403, 403, 200, 404, 200),
    ("GET", "/api/households/"): (403, 403, 200, 200, 200),
    ("POST", "/api/households/"): (403, 403, 400, 400, 403),
    ("GET", "/api/households/{id}/"): (403, 403, 200, 404, 200),
    ("GET", "/api/households/{id}/export/"): (403, 403, 403, 403, 200),
    ("PATCH", "/api/households/{id}/"): (403, 403, 200, 404, 403),
    ("PUT", "/api/households/{id}/"): (403, 403, 400, 404, 403),
    ("POST", "/api/labels/"): (403, 400, 400, 400, 400),
    ("GET", "/api/neighbourhoods/"): (403, 403, 200, 200, 200),
    ("POST", "/api/neighbourhoods/"): (403, 403, 403, 403, 400),
    ("GET", "/api/neighbourhoods/{id}/"): (403, 403, 200, 200, 200),
    ("PATCH", "/api/neighbourhoods/{id}/"): (403, 403, 403, 403, 200),
    ("PUT", "/api/neighbourhoods/{id}/"): (403, 403, 403, 403, 400),
    ("GET", "/api/reports/handovers.csv"): (403, 403, 403, 403, 400),
    ("GET", "/api/reports/summary/"): (403, 403, 403, 403, 400),
    ("GET", "/api/sessions/"): (403, 403, 200, 200, 200),
    ("POST", "/api/sessions/"): (403, 403, 400, 400, 403),
    ("GET", "/api/sessions/{id}/"): (403, 403, 200, 404, 200),
    ("PATCH", "/api/sessions/{id}/"): (403, 403, 200, 404, 403),
    ("PUT", "/api/sessions/{id}/"): (403, 403, 400, 404, 403),
    ("POST", "/api/sessions/{id}/attendance/"): (403, 403, 400, 404, 403),
    ("GET", "/api/structures/"): (403, 200, 200, 200, 200),
    ("POST", "/api/structures/"): (403, 403, 403, 403, 400),
    ("GET", "/api/structures/{id}/"): (403, 200, 200, 200, 200),
    ("PATCH", "/api/structures/{id}/"): (403, 403, 403, 403, 200),
    ("PUT", "/api/structures/{id}/"): (403, 403, 403, 403, 400),
}
# fmt: on

DENIED = {401, 403, 404, 405}
# Writes by the most restricted actors first, so a write that succeeds (an empty POST can
# declare an allocation lost) never hides a refusal that should have happened before it.
WRITE_ORDER = ("anonymous", "technician", "other_trainer", "trainer", "coordinator")


def _web_client(user):
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _api_client(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_every_screen_is_in_the_matrix():
    assert sorted(PAGES) == page_names()


def test_every_api_operation_is_in_the_matrix():
    assert sorted(API) == api_operations()


def _mismatches(expected, got):
    return {key: dict(zip(ACTORS, got[key], strict=True)) for key in expected if got[key] != expected[key]}


# One seeded world for all the screens, and one for all the API reads: reading changes
# nothing, and seeding per row would cost minutes. Mismatches are reported together.


def test_every_screen_answers_each_actor_as_the_matrix_says(world, actors):
    clients = {actor: _web_client(actors[actor]) for actor in ACTORS}
    got = {name: tuple(clients[a].get(page_url(name, world)).status_code for a in ACTORS) for name in PAGES}
    assert _mismatches(PAGES, got) == {}


def test_anonymous_is_sent_to_the_login_page(world):
    response = Client().get(page_url("households:household_detail", world))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_every_api_read_answers_each_actor_as_the_matrix_says(world, actors):
    clients = {actor: _api_client(actors[actor]) for actor in ACTORS}
    reads = {op: codes for op, codes in API.items() if op[0] == "GET"}
    got = {
        (method, path): tuple(clients[a].get(api_url(path, world)).status_code for a in ACTORS)
        for method, path in reads
    }
    assert _mismatches(reads, got) == {}


def test_every_api_write_answers_each_actor_as_the_matrix_says(world, actors):
    """Each write runs in a savepoint rolled back afterwards, so every operation starts from
    the same seeded world (an empty POST may succeed, e.g. declaring an allocation lost)."""
    writes = {op: codes for op, codes in API.items() if op[0] != "GET"}
    got = {}
    for method, path in writes:
        url = api_url(path, world)
        codes = {}
        with transaction.atomic():
            for actor in WRITE_ORDER:
                client = _api_client(actors[actor])
                codes[actor] = getattr(client, method.lower())(url, {}, format="json").status_code
            transaction.set_rollback(True)
        got[(method, path)] = tuple(codes[a] for a in ACTORS)
    assert _mismatches(writes, got) == {}
    for (method, path), codes in got.items():
        if path != "/api/auth/token/":
            assert codes[0] in {401, 403}, f"{method} {path}: the API is for signed-in users only"


# Fields a role may not write ----------------------------------------------------------------


def test_technician_cannot_write_status_tag_or_donation_of_a_device(world, technician, regie):
    device = world.device
    before = (device.status, device.asset_tag, device.donation_id)
    other_donation = type(world.donation).objects.create(
        donor=world.donor, structure=regie, received_on=world.donation.received_on
    )
    response = _api_client(technician).patch(
        f"/api/devices/{device.pk}/",
        {"status": "ready", "asset_tag": "OP-HACKED", "donation": other_donation.pk, "id": 9999},
        format="json",
    )
    assert response.status_code in {200, 400}
    device.refresh_from_db()
    assert (device.status, device.asset_tag, device.donation_id) == before


def test_trainer_cannot_move_a_household_to_another_structure_nor_unanonymise(
    world, trainer, other_association
):
    household = world.household
    response = _api_client(trainer).patch(
        f"/api/households/{household.pk}/",
        {
            "structure": other_association.pk,
            "anonymised_at": "2020-01-01T00:00:00Z",
            "created_at": "2000-01-01T00:00:00Z",
        },
        format="json",
    )
    assert response.status_code in {200, 400}
    household.refresh_from_db()
    assert household.structure_id == world.structure.pk
    assert household.anonymised_at is None
    assert household.created_at.year != 2000


def test_trainer_cannot_move_a_course_to_another_structure(world, trainer, other_association):
    course = world.course
    response = _api_client(trainer).patch(
        f"/api/courses/{course.pk}/", {"structure": other_association.pk}, format="json"
    )
    assert response.status_code in {200, 400}
    course.refresh_from_db()
    assert course.structure_id == world.structure.pk


def test_allocation_status_is_not_writable(world, coordinator):
    allocation = world.allocation
    response = _api_client(coordinator).patch(
        f"/api/allocations/{allocation.pk}/", {"status": "cancelled"}, format="json"
    )
    assert response.status_code == 405
    allocation.refresh_from_db()
    assert allocation.status == world.allocation.status


def test_no_api_lets_anyone_write_users_roles_or_staff_flags(coordinator):
    """Accounts (role, is_staff, is_superuser) are managed in the admin only."""
    paths = {path for _method, path in api_operations()}
    assert not any("/users" in path or "/groups" in path for path in paths)


def test_structure_kind_is_not_writable_by_a_trainer(world, trainer):
    response = _api_client(trainer).patch(
        f"/api/structures/{world.structure.pk}/", {"kind": "agglomeration"}, format="json"
    )
    assert response.status_code == 403


# Personal data of households never reaches technicians --------------------------------------


def _technician_responses(world, technician):
    api = _api_client(technician)
    web = _web_client(technician)
    device, allocation = world.device, world.allocation
    urls_api = [
        "/api/devices/",
        f"/api/devices/{device.pk}/",
        f"/api/devices/{device.pk}/timeline/",
        "/api/allocations/",
        f"/api/allocations/{allocation.pk}/",
    ]
    urls_web = [
        device.get_absolute_url(),
        "/allocations/",
        f"/allocations/{allocation.pk}/",
        "/devices/",
        "/",
    ]
    for url in urls_api:
        yield url, api.get(url)
    for url in urls_web:
        yield url, web.get(url)


def test_technicians_never_see_household_personal_data(world, technician):
    household = world.household
    secrets = [household.contact_name, household.phone, household.email, household.address, "Secretnom"]
    for url, response in _technician_responses(world, technician):
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in secrets:
            assert secret not in body, f"{secret!r} shown to a technician at {url}"
