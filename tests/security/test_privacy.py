"""GDPR: retention, anonymisation (row and history), export and erasure on request."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.allocations.models import Allocation, FollowUp
from apps.households import privacy
from apps.households.models import Household
from tests.factories import HouseholdFactory

from .conftest import HOUSEHOLD_NAME, HOUSEHOLD_PHONE

DUE = timezone.localdate() + timedelta(days=90)
SECRETS = (HOUSEHOLD_NAME, HOUSEHOLD_PHONE, "secret@example.org", "12 rue Cachée", "Notes privées")


def _personal_text_anywhere(household):
    """Every personal string still stored about the household, in rows or history."""
    found = []
    rows = [
        *Household.history.filter(id=household.pk).values(),
        *Household.objects.filter(pk=household.pk).values(),
        *Allocation.objects.filter(household=household).values(),
        *Allocation.history.filter(household_id=household.pk).values(),
        *FollowUp.objects.filter(allocation__household=household).values(),
        *FollowUp.history.filter(allocation__household=household).values(),
    ]
    for row in rows:
        for value in row.values():
            text = str(value)
            found += [
                secret
                for secret in (*SECRETS, "Remis en main propre", "Écran cassé", "Rappeler Mme")
                if secret in text
            ]
    return found


def test_anonymisation_blanks_the_household_and_its_history_and_keeps_the_counts(world, coordinator):
    household = world.household
    household.refresh_from_db()
    assert _personal_text_anywhere(household)
    kept = (
        household.neighbourhood_id,
        household.size,
        household.children,
        household.referred_by,
        household.structure_id,
    )
    history_before = Household.history.filter(id=household.pk).count()

    privacy.anonymise_household(household, actor=coordinator, reason="erasure on request")

    household.refresh_from_db()
    assert household.contact_name == f"Foyer anonymisé #{household.pk}"
    assert (household.phone, household.email, household.address, household.notes, household.consent_text) == (
        "",
    ) * 5
    assert (household.phone_key, household.name_key) == ("", "")
    assert household.anonymised_at is not None
    assert (
        household.neighbourhood_id,
        household.size,
        household.children,
        household.referred_by,
        household.structure_id,
    ) == kept
    assert _personal_text_anywhere(household) == []
    # The anonymisation itself is in the history, with its actor and reason.
    last = Household.history.filter(id=household.pk).latest("history_date")
    assert Household.history.filter(id=household.pk).count() == history_before + 1
    assert (last.history_user_id, last.history_change_reason) == (coordinator.pk, "erasure on request")
    # The enrolment and the allocation are still there for the figures.
    assert household.enrolments.count() == 1
    assert household.allocations.count() == 1


def test_anonymisation_keeps_every_figure_of_the_report(world, trainer, coordinator, mediatheque):
    from apps.allocations import services
    from apps.reports.periods import Period
    from apps.reports.selectors import report_figures
    from tests.allocations.conftest import ready_device
    from tests.factories import CourseFactory, EnrolmentFactory, SessionFactory

    # A second course, just begun, and a hand-over before its rule is met: counted as such.
    course = CourseFactory(structure=mediatheque, trainers=[trainer], min_sessions=3)
    SessionFactory(course=course)
    enrolment = EnrolmentFactory(course=course, household=world.household)
    early = services.reserve(actor=trainer, enrolment=enrolment, devices=[ready_device()], kind="gift")
    services.hand_over(early, actor=coordinator, override_reason="Hospitalisée deux semaines")
    today = timezone.localdate()
    period = Period(today - timedelta(days=365), today)
    before = report_figures(period=period)
    assert (before.handovers.before_rule, before.follow_ups.problems) == (1, 1)

    privacy.anonymise_household(world.household, actor=coordinator, reason="erasure on request")

    after = report_figures(period=period)
    assert (after.handovers, after.follow_ups, after.households) == (
        before.handovers,
        before.follow_ups,
        before.households,
    )
    early.refresh_from_db()
    assert early.override_reason == "Texte effacé (foyer anonymisé)"


def test_anonymisation_is_idempotent(world, coordinator):
    first = privacy.anonymise_household(world.household, actor=coordinator, reason="x").anonymised_at
    count = Household.history.filter(id=world.household.pk).count()
    second = privacy.anonymise_household(world.household, actor=coordinator, reason="x")
    assert second.anonymised_at == first
    assert Household.history.filter(id=world.household.pk).count() == count


def test_retention_counts_from_the_last_activity(world, settings, mediatheque):
    settings.HOUSEHOLD_RETENTION_MONTHS = 24
    today = timezone.localdate()
    # Nothing happened for 30 months.
    old = HouseholdFactory(structure=mediatheque)
    Household.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30 * 31))
    # Registered long ago, but its allocation was handed over recently (the seeded world).
    Household.objects.filter(pk=world.household.pk).update(
        created_at=timezone.now() - timedelta(days=30 * 31)
    )
    assert [h.pk for h in privacy.households_past_retention()] == [old.pk]
    # Two years and a half later, the seeded household's last follow-up is old too.
    later = today + timedelta(days=30 * 31)
    assert {h.pk for h in privacy.households_past_retention(later)} == {old.pk, world.household.pk}


def test_a_household_still_holding_a_loan_is_never_past_retention_even_overdue(world, trainer, settings):
    from apps.allocations import services
    from tests.allocations.conftest import ready_device

    settings.HOUSEHOLD_RETENTION_MONTHS = 24
    later = timezone.localdate() + timedelta(days=30 * 31)
    loan = services.reserve(
        actor=trainer, enrolment=world.enrolment, devices=[ready_device()], kind="loan", due_on=DUE
    )
    loan = services.hand_over(loan, actor=trainer)
    # Two years and a half later the loan is long overdue: nobody could chase the device back
    # without the household's details.
    assert privacy.households_past_retention(later) == []
    # Its gift, handed over for good, did not hold it back; the loan turned into one neither.
    services.convert_to_gift(loan, actor=trainer)
    assert privacy.households_past_retention(later) == [world.household]


def test_subtract_months_clamps_to_the_end_of_the_month():
    from datetime import date

    assert privacy.subtract_months(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert privacy.subtract_months(date(2026, 1, 15), 24) == date(2024, 1, 15)


def test_command_dry_run_lists_and_changes_nothing_then_anonymises(db, mediatheque, settings):
    settings.HOUSEHOLD_RETENTION_MONTHS = 6
    old = HouseholdFactory(structure=mediatheque, contact_name="Famille Ancienne")
    Household.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    recent = HouseholdFactory(structure=mediatheque, contact_name="Famille Récente")

    out = StringIO()
    call_command("anonymise_households", "--dry-run", stdout=out)
    assert "1 household(s) would be anonymised" in out.getvalue()
    assert f"{old.pk}\t" in out.getvalue()
    old.refresh_from_db()
    assert old.anonymised_at is None

    out = StringIO()
    call_command("anonymise_households", stdout=out)
    assert "1 household(s) anonymised" in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.contact_name.startswith("Foyer anonymisé")
    assert recent.anonymised_at is None
    last = Household.history.filter(id=old.pk).latest("history_date")
    assert (last.history_user_id, last.history_change_reason) == (None, "retention")

    out = StringIO()
    call_command("anonymise_households", stdout=out)
    assert "0 household(s) anonymised" in out.getvalue()


def test_export_holds_everything_about_the_household(world, client_as, coordinator):
    response = client_as(coordinator).get(reverse("households:household_export", args=[world.household.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="household-{world.household.pk}.json"'
    data = json.loads(response.content)
    assert data["household"]["contact_name"] == HOUSEHOLD_NAME
    assert data["household"]["phone"] == HOUSEHOLD_PHONE
    assert data["history"] and data["history"][0]["contact_name"] == HOUSEHOLD_NAME
    [enrolment] = data["enrolments"]
    assert enrolment["course"]["title"] == world.course.title
    assert enrolment["attendance"][0]["present"] is True
    [allocation] = data["allocations"]
    assert allocation["devices"][0]["asset_tag"] == world.device.asset_tag
    assert allocation["follow_ups"][0]["problem"] == "Écran cassé par le fils"
    assert allocation["history"]


def test_export_through_the_api(world, api_as, coordinator, trainer):
    url = f"/api/households/{world.household.pk}/export/"
    assert api_as(trainer).get(url).status_code == 403
    response = api_as(coordinator).get(url)
    assert response.status_code == 200
    assert json.loads(response.content)["household"]["id"] == world.household.pk


def test_erasure_on_request_asks_for_confirmation_then_anonymises(world, client_as, coordinator, in_english):
    client = client_as(coordinator)
    detail = client.get(world.household.get_absolute_url()).content.decode()
    url = reverse("households:household_anonymise", args=[world.household.pk])
    assert url in detail
    page = client.get(url)
    assert page.status_code == 200
    assert "This cannot be undone." in page.content.decode()
    world.household.refresh_from_db()
    assert world.household.anonymised_at is None

    response = client.post(url, follow=True)
    assert "personal data have been erased" in response.content.decode()
    world.household.refresh_from_db()
    assert world.household.anonymised_at is not None
    assert _personal_text_anywhere(world.household) == []


def test_an_anonymised_household_cannot_be_edited_back(world, coordinator, trainer, api_as):
    privacy.anonymise_household(world.household, actor=coordinator, reason="x")
    response = api_as(trainer).patch(
        f"/api/households/{world.household.pk}/", {"phone": "0600000000"}, format="json"
    )
    assert response.status_code == 409


@pytest.mark.parametrize("user", ["trainer", "technician", "other_trainer"])
def test_only_coordinators_erase(world, client_as, request, user):
    url = reverse("households:household_anonymise", args=[world.household.pk])
    assert client_as(request.getfixturevalue(user)).post(url).status_code == 403
    world.household.refresh_from_db()
    assert world.household.anonymised_at is None


def test_register_of_processing_page(client_as, coordinator, in_english):
    client = client_as(coordinator)
    home = client.get("/").content.decode()
    assert reverse("core:privacy") in home
    page = client.get(reverse("core:privacy")).content.decode()
    assert "Register of processing" in page
    assert "24 months after the household" in page
    assert "Never while the household still holds a device on loan" in page


@pytest.mark.parametrize("user", ["technician", "other_trainer"])
def test_a_devices_timeline_gives_a_follow_ups_verdict_not_what_the_household_said(
    world, client_as, api_as, request, user, in_english
):
    """Every role reads a device's page and timeline, households of other structures' included."""
    user = request.getfixturevalue(user)
    page = client_as(user).get(world.device.get_absolute_url()).content.decode()
    timeline = api_as(user).get(f"/api/devices/{world.device.pk}/timeline/").content.decode()
    for text in (page, timeline):
        assert "Écran cassé par le fils" not in text
        assert "Rappeler Mme" not in text
    assert "Follow-up: computer in use" in timeline


def test_the_note_of_a_return_or_a_loss_is_erased_with_the_household(world, trainer, coordinator):
    from apps.allocations import services
    from tests.allocations.conftest import ready_device

    services.return_allocation(world.allocation, actor=trainer, condition="good", note="Mme Zorglub déménage")
    lost = services.reserve(actor=trainer, enrolment=world.enrolment, devices=[ready_device()], kind="gift")
    lost = services.hand_over(lost, actor=trainer)
    services.declare_lost(lost, actor=trainer, note="Volé chez Mme Zorglub")
    assert Allocation.objects.filter(closing_note__contains="Zorglub").count() == 2

    privacy.anonymise_household(world.household, actor=coordinator, reason="erasure on request")

    rows = [*Allocation.objects.values("closing_note"), *Allocation.history.values("closing_note")]
    assert "Zorglub" not in str(rows)


def test_the_notes_older_returns_wrote_on_the_devices_moves_are_moved_to_the_allocation(
    world, trainer, client_as, technician, in_english
):
    """Before they stayed on the allocation, a return's and a loss's notes were written on the
    devices' moves after the allocation's number, in the timeline and the device's history,
    which every role reads: migration allocations.0009 moves them to the allocation."""
    from django.apps import apps

    from apps.allocations import services
    from apps.allocations.legacy import move_closing_notes_off_devices
    from apps.devices.models import Device, StatusChange

    services.return_allocation(world.allocation, actor=trainer, condition="good")
    neutral = f"Returned (Good): allocation no. {world.allocation.number}"
    # What the services wrote then, and what the device and another allocation wrote besides.
    older = f"{neutral} — Mme Zorglub déménage"
    StatusChange.objects.filter(device=world.device, note=neutral).update(note=older)
    Device.history.filter(id=world.device.pk, history_change_reason=neutral).update(
        history_change_reason=older
    )
    other = StatusChange.objects.create(
        device=world.device, from_status="diagnosis", to_status="reconditioning", note="Écran — à changer"
    )

    move_closing_notes_off_devices(apps)

    notes = list(StatusChange.objects.filter(device=world.device).values_list("note", flat=True))
    reasons = list(Device.history.filter(id=world.device.pk).values_list("history_change_reason", flat=True))
    assert "Zorglub" not in str(notes + reasons)
    assert neutral in notes and neutral in reasons
    other.refresh_from_db()
    assert other.note == "Écran — à changer"
    assert "Zorglub" not in client_as(technician).get(world.device.get_absolute_url()).content.decode()
    world.allocation.refresh_from_db()
    assert world.allocation.closing_note == "Mme Zorglub déménage"


def test_what_was_typed_about_the_household_in_its_allocations_change_reasons_is_erased_with_it(
    world, trainer, coordinator, client_as
):
    from apps.allocations import services
    from tests.allocations.conftest import ready_device
    from tests.factories import CourseFactory, EnrolmentFactory, SessionFactory

    def reserve(enrolment):
        return services.reserve(
            actor=trainer, enrolment=enrolment, devices=[ready_device()], kind="loan", due_on=DUE
        )

    cancelled = reserve(world.enrolment)
    # A course whose rule the household has not met: only a coordinator's override hands over.
    course = CourseFactory(structure=world.structure, trainers=[trainer], min_sessions=3)
    SessionFactory(course=course)
    overridden = reserve(EnrolmentFactory(course=course, household=world.household))
    services.cancel(cancelled, actor=trainer, note="Mme Zorglub hospitalisée")
    overridden = services.hand_over(overridden, actor=coordinator, override_reason="Mme Zorglub hospitalisée")
    services.convert_to_gift(overridden, actor=trainer, note="Mme Zorglub garde l'ordinateur")
    assert "Zorglub" in str(list(Allocation.history.values_list("history_change_reason", flat=True)))

    privacy.anonymise_household(world.household, actor=coordinator, reason="erasure on request")

    reasons = list(Allocation.history.values_list("history_change_reason", flat=True))
    assert "Zorglub" not in str(reasons)
    assert "Zorglub" not in str(list(Allocation.history.values()))
    client = client_as(coordinator)
    for allocation in (cancelled, overridden):
        url = reverse("reports:object_history", args=["allocation", allocation.pk])
        assert "Zorglub" not in client.get(url).content.decode()
    assert "Zorglub" not in client.get(reverse("reports:history")).content.decode()
    export = client.get(reverse("households:household_export", args=[world.household.pk])).content.decode()
    assert "Zorglub" not in export


def test_a_withdrawals_reason_is_erased_with_the_household_and_the_withdrawal_kept(
    world, trainer, coordinator, client_as, api_as
):
    from apps.training import services as training_services
    from apps.training.models import Enrolment
    from tests.factories import CourseFactory

    course = CourseFactory(structure=world.structure, trainers=[trainer])
    withdrawn = training_services.enrol_household(actor=trainer, course=course, household=world.household)
    training_services.withdraw_enrolment(actor=trainer, enrolment=withdrawn, reason="Mme Zorglub malade")
    assert "Zorglub" in client_as(trainer).get(course.get_absolute_url()).content.decode()

    privacy.anonymise_household(world.household, actor=coordinator, reason="erasure on request")

    withdrawn.refresh_from_db()
    assert (withdrawn.status, withdrawn.withdrawal_reason) == ("withdrawn", "Motif effacé (foyer anonymisé)")
    assert "Zorglub" not in str(list(Enrolment.history.filter(id=withdrawn.pk).values()))
    assert "Zorglub" not in client_as(trainer).get(course.get_absolute_url()).content.decode()
    assert "Zorglub" not in api_as(trainer).get(f"/api/enrolments/{withdrawn.pk}/").content.decode()
    audit = client_as(coordinator).get(reverse("reports:object_history", args=["enrolment", withdrawn.pk]))
    assert "Zorglub" not in audit.content.decode()
    # The anonymisation says why, on the enrolment too; a second one changes nothing more.
    assert Enrolment.history.filter(id=withdrawn.pk).latest().history_change_reason == "erasure on request"
    count = Enrolment.history.filter(id=withdrawn.pk).count()
    privacy.anonymise_household(world.household, actor=coordinator, reason="erasure on request")
    assert Enrolment.history.filter(id=withdrawn.pk).count() == count
