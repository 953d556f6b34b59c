"""Reserving, handing over, returning: the programme's promise, rule by rule."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from apps.allocations import selectors, services
from apps.allocations.models import Allocation
from apps.core.exceptions import ConflictError, DomainError
from apps.devices import services as device_services
from apps.devices.choices import DeviceStatus
from apps.devices.models import Device
from apps.training import services as training_services

from .conftest import attend, loan_now_due

pytestmark = pytest.mark.django_db
TOMORROW_PLUS = timezone.localdate() + timedelta(days=180)


def statuses(devices):
    return [Device.objects.get(pk=d.pk).status for d in devices]


def test_a_kit_is_reserved_all_together(trainer, enrolment, kit):
    allocation = services.reserve(actor=trainer, enrolment=enrolment, devices=kit, kind="gift")
    assert allocation.status == "reserved"
    assert allocation.structure == enrolment.course.structure
    assert statuses(kit) == ["reserved"] * 3
    assert allocation.history.get().history_user == trainer


def test_a_kit_with_one_device_not_ready_reserves_nothing(trainer, enrolment, kit):
    kit[1].status = DeviceStatus.RECONDITIONING
    kit[1].save()
    with pytest.raises(ConflictError) as refused:
        services.reserve(actor=trainer, enrolment=enrolment, devices=kit, kind="gift")
    assert kit[1].asset_tag in refused.value.message and "not ready" in refused.value.message
    assert statuses(kit) == ["ready", "reconditioning", "ready"]
    assert Allocation.objects.count() == 0


@pytest.mark.parametrize("status", ["waiting", "withdrawn"])
def test_only_an_enrolled_household_can_be_given_devices(trainer, enrolment, kit, status):
    enrolment.status = status
    enrolment.withdrawal_reason = "a déménagé" if status == "withdrawn" else ""
    enrolment.save()
    with pytest.raises(DomainError) as refused:
        services.reserve(actor=trainer, enrolment=enrolment, devices=kit, kind="gift")
    assert refused.value.code == "not_enrolled"


def test_no_device_is_reserved_for_a_household_whose_details_were_erased(
    trainer, coordinator, enrolment, kit
):
    from apps.households.privacy import anonymise_household

    anonymise_household(enrolment.household, actor=coordinator, reason="on request")
    with pytest.raises(ConflictError) as refused:
        services.reserve(actor=trainer, enrolment=enrolment, devices=kit, kind="gift")
    assert refused.value.code == "anonymised"
    assert statuses(kit) == ["ready"] * 3
    assert Allocation.objects.count() == 0


def test_a_loan_needs_a_future_due_date_and_a_gift_none(trainer, enrolment, kit):
    with pytest.raises(DomainError, match="needs a due date"):
        services.reserve(actor=trainer, enrolment=enrolment, devices=kit, kind="loan")
    with pytest.raises(DomainError, match="must be in the future"):
        services.reserve(
            actor=trainer, enrolment=enrolment, devices=kit, kind="loan", due_on=timezone.localdate()
        )
    with pytest.raises(DomainError, match="no due date"):
        services.reserve(actor=trainer, enrolment=enrolment, devices=kit, kind="gift", due_on=TOMORROW_PLUS)


class TestHandOver:
    def test_once_the_course_rule_is_met(self, trainer, completed, kit):
        allocation = services.reserve(
            actor=trainer, enrolment=completed, devices=kit, kind="loan", due_on=TOMORROW_PLUS
        )
        allocation = services.hand_over(allocation, actor=trainer)
        assert (allocation.status, allocation.handed_over_by) == ("active", trainer)
        assert statuses(kit) == ["allocated"] * 3
        change = kit[0].status_changes.latest("at")
        assert f"allocation no. {allocation.number}" in change.note

    def test_the_rule_is_exact_three_of_four_is_not_enough(self, trainer, enrolment, kit):
        attend(enrolment, 3)
        allocation = services.reserve(actor=trainer, enrolment=enrolment, devices=kit, kind="gift")
        with pytest.raises(DomainError) as refused:
            services.hand_over(allocation, actor=trainer, override_reason="please")
        assert refused.value.code == "not_eligible"
        assert "attended 3 of the 4 sessions" in refused.value.message
        assert statuses(kit) == ["reserved"] * 3

    def test_withdrawing_from_the_course_cancels_the_reservation_and_frees_the_devices(
        self, trainer, coordinator, completed, kit
    ):
        allocation = services.reserve(actor=trainer, enrolment=completed, devices=kit, kind="gift")
        withdrawal = training_services.withdraw_enrolment(
            actor=trainer, enrolment=completed, reason="a déménagé"
        )
        assert withdrawal.cancelled == [allocation]
        assert Allocation.objects.get(pk=allocation.pk).status == "cancelled"
        assert statuses(kit) == ["ready"] * 3
        assert "a déménagé" not in kit[0].status_changes.latest("at").note
        with pytest.raises(ConflictError, match="cannot be handed over"):
            services.hand_over(allocation, actor=coordinator, override_reason="on insiste")

    def test_a_household_no_longer_enrolled_is_never_handed_over_not_even_by_a_coordinator(
        self, trainer, coordinator, completed, kit
    ):
        allocation = services.reserve(actor=trainer, enrolment=completed, devices=kit, kind="gift")
        # A reservation left open by a withdrawal recorded before withdrawals cancelled them.
        completed.withdrawal_reason = "a déménagé"
        training_services.move_enrolment(completed, "withdrawn", actor=trainer)
        with pytest.raises(ConflictError) as refused:
            services.hand_over(allocation, actor=coordinator, override_reason="on insiste")
        assert refused.value.code == "not_enrolled"
        assert "Cancel the reservation" in refused.value.message
        assert statuses(kit) == ["reserved"] * 3

    def test_a_loan_whose_due_date_has_come_needs_a_new_one_at_hand_over(self, trainer, completed, kit):
        allocation = loan_now_due(trainer, completed, kit)
        with pytest.raises(DomainError) as refused:
            services.hand_over(allocation, actor=trainer)
        assert (refused.value.code, refused.value.field) == ("due_date_passed", "due_on")
        assert statuses(kit) == ["reserved"] * 3
        with pytest.raises(DomainError, match="must be in the future"):
            services.hand_over(allocation, actor=trainer, due_on=timezone.localdate())
        allocation = services.hand_over(allocation, actor=trainer, due_on=TOMORROW_PLUS)
        assert (allocation.status, Allocation.objects.get(pk=allocation.pk).due_on) == (
            "active",
            TOMORROW_PLUS,
        )

    def test_a_gift_takes_no_due_date_at_hand_over(self, trainer, completed, kit):
        allocation = services.reserve(actor=trainer, enrolment=completed, devices=kit, kind="gift")
        with pytest.raises(DomainError, match="A gift has no due date"):
            services.hand_over(allocation, actor=trainer, due_on=TOMORROW_PLUS)
        assert statuses(kit) == ["reserved"] * 3

    def test_a_coordinator_may_override_with_a_written_reason(self, trainer, coordinator, enrolment, kit):
        allocation = services.reserve(actor=trainer, enrolment=enrolment, devices=kit, kind="gift")
        with pytest.raises(DomainError) as refused:
            services.hand_over(allocation, actor=coordinator, override_reason="  ")
        assert refused.value.field == "override_reason"
        allocation = services.hand_over(
            allocation, actor=coordinator, override_reason="Hospitalisée deux semaines"
        )
        assert allocation.override_reason == "Hospitalisée deux semaines"
        record = allocation.history.latest()
        # In its column (which the anonymisation blanks), not repeated as the change reason.
        assert (record.history_user, record.override_reason, record.history_change_reason) == (
            coordinator,
            "Hospitalisée deux semaines",
            None,
        )

    def test_twice_is_a_conflict(self, trainer, completed, kit):
        allocation = services.reserve(actor=trainer, enrolment=completed, devices=kit, kind="gift")
        services.hand_over(allocation, actor=trainer)
        with pytest.raises(ConflictError, match="cannot be handed over"):
            services.hand_over(allocation, actor=trainer)


def handed_over(trainer, enrolment, devices, kind="loan"):
    due_on = TOMORROW_PLUS if kind == "loan" else None
    allocation = services.reserve(
        actor=trainer, enrolment=enrolment, devices=devices, kind=kind, due_on=due_on
    )
    return services.hand_over(allocation, actor=trainer)


def test_a_return_sends_the_devices_back_to_diagnosis_and_frees_them(trainer, technician, completed, kit):
    allocation = handed_over(trainer, completed, kit)
    allocation = services.return_allocation(
        allocation, actor=trainer, condition="worn", note="clavier collant"
    )
    assert (allocation.status, allocation.return_condition) == ("returned", "worn")
    assert statuses(kit) == ["diagnosis"] * 3
    moves = list(kit[0].status_changes.order_by("at", "pk").values_list("to_status", flat=True))
    assert moves[-2:] == ["returned", "diagnosis"]
    assert not allocation.items.filter(is_open=True).exists()
    # The device goes round again: checked, erased anew, ready, and may go to another family.
    device = kit[0]
    device_services.transition(device, "reconditioning", actor=technician)
    with pytest.raises(DomainError, match="erasure"):
        device_services.transition(device, "ready", actor=technician)
    device_services.record_erasure(
        device, actor=technician, method="overwrite", drive_serial="D", result="passed"
    )
    device_services.transition(device, "ready", actor=technician)
    again = services.reserve(actor=trainer, enrolment=completed, devices=[device], kind="gift")
    assert again.status == "reserved"


def what_the_devices_say(devices):
    """Every note on the devices' moves and every reason in their history: read by every role."""
    from apps.devices.models import StatusChange

    ids = [device.pk for device in devices]
    return [
        *StatusChange.objects.filter(device__in=ids).values_list("note", flat=True),
        *Device.history.filter(id__in=ids).values_list("history_change_reason", flat=True),
    ]


def test_the_note_of_a_return_stays_on_the_allocation_and_the_devices_say_their_condition(
    trainer, completed, kit
):
    allocation = handed_over(trainer, completed, kit)
    allocation = services.return_allocation(
        allocation, actor=trainer, condition="damaged", note="Mme Zorglub déménage, écran fêlé"
    )
    assert allocation.closing_note == "Mme Zorglub déménage, écran fêlé"
    said = what_the_devices_say(kit)
    assert [text for text in said if text and "Zorglub" in text] == []
    number = allocation.number
    assert f"Returned (Damaged): allocation no. {number}" in said
    assert "Zorglub" not in str(list(allocation.history.values_list("history_change_reason", flat=True)))


def test_the_note_of_a_loss_stays_on_the_allocation(trainer, completed, kit):
    allocation = services.declare_lost(
        handed_over(trainer, completed, kit), actor=trainer, note="Volé chez Mme Zorglub"
    )
    assert allocation.closing_note == "Volé chez Mme Zorglub"
    said = what_the_devices_say(kit)
    assert [text for text in said if text and "Zorglub" in text] == []
    assert f"Declared lost or stolen: allocation no. {allocation.number}" in said
    assert "Zorglub" not in str(list(allocation.history.values_list("history_change_reason", flat=True)))


def test_a_loan_turned_into_a_gift(trainer, completed, kit):
    allocation = services.convert_to_gift(handed_over(trainer, completed, kit), actor=trainer)
    assert (allocation.kind, allocation.due_on, allocation.status) == ("gift", None, "active")
    with pytest.raises(ConflictError, match="already a gift"):
        services.convert_to_gift(allocation, actor=trainer)


def test_cancelling_a_reservation_makes_the_devices_ready_again(trainer, enrolment, kit):
    allocation = services.reserve(actor=trainer, enrolment=enrolment, devices=kit, kind="gift")
    services.cancel(allocation, actor=trainer, note="famille déménagée")
    assert statuses(kit) == ["ready"] * 3
    # Why stays on the allocation, where the anonymisation blanks it; not on the devices.
    assert Allocation.objects.get(pk=allocation.pk).closing_note == "famille déménagée"
    assert "déménagée" not in kit[0].status_changes.latest("at").note
    other = services.reserve(actor=trainer, enrolment=enrolment, devices=kit[:1], kind="gift")
    assert other.status == "reserved"


def test_lost_or_stolen(trainer, completed, kit):
    allocation = services.declare_lost(
        handed_over(trainer, completed, kit), actor=trainer, note="vol avec effraction"
    )
    assert allocation.status == "lost"
    assert statuses(kit) == ["lost"] * 3


def test_a_device_cannot_be_in_two_open_allocations(trainer, enrolment, kit, course):
    from tests.factories import EnrolmentFactory

    services.reserve(actor=trainer, enrolment=enrolment, devices=kit[:1], kind="gift")
    other = EnrolmentFactory(course=course)
    with pytest.raises(ConflictError):
        services.reserve(actor=trainer, enrolment=other, devices=kit[:1], kind="gift")


class TestFollowUps:
    def test_due_after_the_delay_until_the_household_is_reached(self, trainer, completed, kit, settings):
        settings.FOLLOW_UP_DELAY_DAYS = 90
        allocation = handed_over(trainer, completed, kit, kind="gift")
        today = timezone.localdate()
        assert list(selectors.follow_ups_due(trainer, today=today + timedelta(days=89))) == []
        assert list(selectors.follow_ups_due(trainer, today=today + timedelta(days=90))) == [allocation]
        services.record_follow_up(allocation, actor=trainer, reached=False)
        assert list(selectors.follow_ups_due(trainer, today=today + timedelta(days=90))) == [allocation]
        services.record_follow_up(allocation, actor=trainer, reached=True, in_use=True, uses=["school"])
        assert list(selectors.follow_ups_due(trainer, today=today + timedelta(days=90))) == []
        assert selectors.follow_up_due_date(allocation) == today + timedelta(days=90)

    def test_the_delay_counts_in_paris_days(self, trainer, completed, kit, settings):
        """Late evening in Paris is already the next day in UTC, and just after midnight in
        Paris is still the day before: the delay counts the days people live."""
        settings.FOLLOW_UP_DELAY_DAYS = 90
        paris = ZoneInfo("Europe/Paris")
        late_evening = handed_over(trainer, completed, kit[:1], kind="gift")
        just_after_midnight = handed_over(trainer, completed, kit[1:2], kind="gift")
        Allocation.objects.filter(pk=late_evening.pk).update(
            handed_over_at=datetime(2026, 3, 2, 23, 30, tzinfo=paris)
        )
        Allocation.objects.filter(pk=just_after_midnight.pk).update(
            handed_over_at=datetime(2026, 3, 3, 0, 30, tzinfo=paris)
        )
        march_2 = date(2026, 3, 2)

        assert list(selectors.follow_ups_due(trainer, today=march_2 + timedelta(days=89))) == []
        assert list(selectors.follow_ups_due(trainer, today=march_2 + timedelta(days=90))) == [late_evening]
        assert list(selectors.follow_ups_due(trainer, today=march_2 + timedelta(days=91))) == [
            late_evening,
            just_after_midnight,
        ]

    def test_no_follow_up_before_the_hand_over(self, trainer, enrolment, kit):
        allocation = services.reserve(actor=trainer, enrolment=enrolment, devices=kit, kind="gift")
        with pytest.raises(DomainError, match="not yet handed over"):
            services.record_follow_up(allocation, actor=trainer, reached=True)

    def test_overdue_loans(self, trainer, completed, kit):
        allocation = handed_over(trainer, completed, kit)
        assert list(selectors.overdue_loans(trainer, today=allocation.due_on)) == []
        assert list(selectors.overdue_loans(trainer, today=allocation.due_on + timedelta(days=1))) == [
            allocation
        ]

    def test_the_follow_up_shows_on_the_device_timeline_without_what_the_household_said(
        self, trainer, completed, kit
    ):
        from apps.devices.timeline import device_timeline

        allocation = handed_over(trainer, completed, kit, kind="gift")
        services.record_follow_up(
            allocation,
            actor=trainer,
            reached=True,
            in_use=False,
            problem="Le fils a renversé du soda dessus",
            notes="Rappeler Mme le soir",
            needs_repair=True,
        )
        event = device_timeline(kit[0])[0]
        assert (event.kind, event.title, event.detail) == (
            "follow_up",
            "Follow-up: computer not in use",
            "Needs a repair.",
        )


def test_erasing_a_household_cancels_its_open_reservation(trainer, coordinator, enrolment, kit):
    from apps.households.privacy import anonymise_household

    reservation = services.reserve(actor=trainer, enrolment=enrolment, devices=kit, kind="gift")
    assert statuses(kit) == ["reserved"] * 3
    anonymise_household(enrolment.household, actor=coordinator, reason="erasure on request")
    reservation.refresh_from_db()
    assert reservation.status == "cancelled"
    assert reservation.history.latest().history_change_reason == "erasure on request"
    assert statuses(kit) == ["ready"] * 3
    with pytest.raises(ConflictError) as refused:
        services.hand_over(reservation, actor=coordinator, override_reason="anyway")
    assert refused.value.code == "allocation_state"


def test_the_erasure_screen_says_the_reservation_will_be_cancelled(
    client_as, trainer, coordinator, enrolment, kit
):
    from django.urls import reverse

    url = reverse("households:household_anonymise", args=[enrolment.household.pk])
    client = client_as(coordinator)
    assert "open reservation" not in client.get(url).content.decode()
    services.reserve(actor=trainer, enrolment=enrolment, devices=kit, kind="gift")
    page = client.get(url).content.decode()
    assert "Its open reservation is cancelled: its devices become ready for another household." in page
    client.post(url)
    assert statuses(kit) == ["ready"] * 3


def test_notes_longer_than_a_history_reason_are_kept_whole_where_they_belong(
    trainer, coordinator, enrolment, kit
):
    # A history row's change reason holds 100 characters: PostgreSQL refused longer notes (a 500).
    note = "Le foyer a rappelé : " + "x" * 480
    allocation = services.reserve(actor=trainer, enrolment=enrolment, devices=kit, kind="gift")
    services.cancel(allocation, actor=trainer, note=note)
    assert Allocation.objects.get(pk=allocation.pk).closing_note == note
    again = services.reserve(
        actor=trainer, enrolment=enrolment, devices=kit, kind="loan", due_on=TOMORROW_PLUS
    )
    handed = services.hand_over(again, actor=coordinator, override_reason=note)
    assert handed.override_reason == note
    # A conversion's note has no place but the history: the screen and the API take 100
    # characters; the service keeps the start of anything longer rather than fail.
    converted = services.convert_to_gift(again, actor=trainer, note=note)
    reason = converted.history.latest().history_change_reason
    assert len(reason) == 100 and reason.startswith("Le foyer a rappelé")


def test_an_edit_from_a_page_loaded_before_a_reservation_does_not_undo_it(
    trainer, technician, enrolment, kit
):
    laptop = Device.objects.get(pk=kit[0].pk)  # the technician's edit page is open
    services.reserve(actor=trainer, enrolment=enrolment, devices=kit, kind="gift")
    saved = device_services.update_device(laptop, actor=technician, brand="Lenovo")
    assert (saved.status, saved.brand) == ("reserved", "Lenovo")
    assert statuses(kit) == ["reserved"] * 3
