from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError
from apps.core.forms import add_domain_error
from apps.core.ids import parse_id
from apps.core.paginator import DeferredJoinPaginator
from apps.core.views import LIST_PAGE_SIZE, PICK_LIST_SIZE

from . import documents, selectors, services
from .choices import AllocationKind, AllocationStatus
from .forms import ConversionForm, FollowUpForm, HandOverForm, NoteForm, ReserveForm, ReturnForm

LISTS = {
    "all": (lambda user: selectors.allocation_list(user).order_by("-reserved_at", "-pk")),
    "follow_ups": selectors.follow_ups_due,
    "overdue": selectors.overdue_loans,
}


def get_allocation(user, pk):
    return get_object_or_404(selectors.allocation_details(user), pk=pk)


@permission_required("allocations.view_allocation", raise_exception=True)
def allocation_list(request):
    view = request.GET.get("view", "all")
    queryset = LISTS.get(view, LISTS["all"])(request.user)
    status = request.GET.get("status")
    if status in AllocationStatus.values:
        queryset = queryset.filter(status=status)
    page = DeferredJoinPaginator(queryset, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "allocations/allocation_list.html",
        {
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "allocations": page.object_list,
            "visible_households": selectors.visible_allocation_household_ids(request.user, page.object_list),
            "view": view if view in LISTS else "all",
            "statuses": AllocationStatus.choices,
            "query": f"view={view}" + (f"&status={status}" if status else ""),
        },
    )


@permission_required("allocations.add_allocation", raise_exception=True)
def allocation_create(request):
    """Reserve a kit: first the household and course (an enrolment, found by name or phone,
    or given by the household's page), then the devices and the terms."""
    params = request.POST if request.method == "POST" else request.GET
    device_tag = params.get("device", "")
    chosen = params.get("enrolment", "")
    enrolment = _reservable_enrolment(request.user, chosen)
    if enrolment is None:
        return _choose_household(request, device_tag, refused=bool(chosen))
    form = ReserveForm(request.POST or None, initial={"kind": AllocationKind.GIFT, "device_tags": device_tag})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            allocation = services.reserve(
                actor=request.user,
                enrolment=enrolment,
                devices=data["device_tags"],
                kind=data["kind"],
                due_on=data["due_on"],
                notes=data["notes"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Devices reserved. Hand them over once the course rule is met."))
            return redirect(allocation)
    return render(
        request,
        "allocations/allocation_form.html",
        {"form": form, "enrolment": enrolment, "device_tag": device_tag},
    )


def _reservable_enrolment(user, pk):
    pk = parse_id(pk)
    return selectors.reservable_enrolment(user, pk) if pk is not None else None


def _choose_household(request, device_tag, *, refused):
    text = request.GET.get("q", "").strip()
    # One more than is shown, to know whether there are more.
    enrolments = selectors.enrolments_to_reserve_for(request.user, text, limit=PICK_LIST_SIZE + 1)
    return render(
        request,
        "allocations/allocation_choose_household.html",
        {
            "enrolments": enrolments[:PICK_LIST_SIZE],
            "more": len(enrolments) > PICK_LIST_SIZE,
            "text": text,
            "device_tag": device_tag,
            "refused": refused,
        },
    )


@permission_required("allocations.view_allocation", raise_exception=True)
def allocation_detail(request, pk):
    allocation = get_allocation(request.user, pk)
    follow_ups = list(allocation.follow_ups.all())
    visible = selectors.hide_household_text(request.user, [allocation], follow_ups=follow_ups)
    eligible, attended, required = services.eligibility(allocation)
    return render(
        request,
        "allocations/allocation_detail.html",
        {
            "allocation": allocation,
            "show_household": allocation.household_id in visible,
            "eligible": eligible,
            "attended": attended,
            "required": required,
            "follow_ups": follow_ups,
            "follow_up_due_on": selectors.follow_up_due_date(allocation),
            "hand_over_form": HandOverForm(),
            "return_form": ReturnForm(),
            "note_form": NoteForm(),
            "follow_up_form": FollowUpForm(),
        },
    )


def _action(service, form_class, success, permission="allocations.change_allocation"):
    """A POST that moves an allocation along, through its service."""

    @require_POST
    @permission_required(permission, raise_exception=True)
    def view(request, pk):
        allocation = get_allocation(request.user, pk)
        form = form_class(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect(allocation)
        try:
            service(allocation, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, success)
        return redirect(allocation)

    return view


allocation_hand_over = _action(
    services.hand_over, HandOverForm, gettext_lazy("Devices handed over. Print the agreement to sign."),
    permission="allocations.hand_over_allocation",
)  # fmt: skip
allocation_return = _action(
    services.return_allocation, ReturnForm, gettext_lazy("Return recorded: the devices go back to diagnosis.")
)
allocation_convert = _action(
    services.convert_to_gift, ConversionForm, gettext_lazy("The loan is now a gift.")
)
allocation_cancel = _action(
    services.cancel, NoteForm, gettext_lazy("Reservation cancelled: the devices are ready again.")
)
allocation_lost = _action(services.declare_lost, NoteForm, gettext_lazy("Recorded as lost or stolen."))


@require_POST
@permission_required("allocations.add_followup", raise_exception=True)
def follow_up_create(request, pk):
    allocation = get_allocation(request.user, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.record_follow_up(allocation, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Follow-up recorded."))
            return redirect(allocation)
    else:
        for field, errors in form.errors.items():
            messages.error(
                request, f"{form.fields[field].label if field in form.fields else ''} {' '.join(errors)}"
            )
    return redirect(allocation)


@permission_required("allocations.view_allocation", raise_exception=True)
def allocation_agreement(request, pk):
    allocation = get_allocation(request.user, pk)
    if not selectors.can_see_household(request.user, allocation):
        raise Http404
    response = HttpResponse(documents.agreement_pdf(allocation), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="convention-{allocation.number}.pdf"'
    return response
