import time
import uuid
from functools import cached_property
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from apps.core.exceptions import DomainError
from apps.core.forms import add_domain_error
from apps.core.ids import parse_id
from apps.core.paginator import DeferredJoinPaginator
from apps.core.views import LIST_PAGE_SIZE, PICK_LIST_SIZE, FilteredListView, ServiceFormView

from . import documents, printing, selectors, services
from .choices import DeviceStatus
from .filtersets import DeviceFilterSet
from .forms import (
    INTAKE_KEPT_FIELDS,
    BulkTransitionForm,
    DeviceForm,
    DonationForm,
    DonorForm,
    ErasureForm,
    ImportForm,
    IntakeForm,
    InterventionForm,
    LabelPrintForm,
    TransitionForm,
)
from .models import Donation, Donor
from .timeline import device_timeline, recent_timeline


def get_device(tag, **options):
    device = selectors.device_by_tag(tag, **options)
    if device is None:
        raise Http404(_("No device has the asset tag %(tag)s.") % {"tag": tag})
    return device


# Devices ---------------------------------------------------------------------------------


class DeviceListView(FilteredListView):
    permission_required = "devices.view_device"
    template_name = "devices/device_list.html"
    filterset_class = DeviceFilterSet
    # A page deep in 100,000 devices costs what the first does (see the paginator).
    paginator_class = DeferredJoinPaginator

    # A text search counts its matches up to this many ("more than 1,000"): a common word
    # matches a sixth of a metropolis's devices, and counting them all was most of the page.
    search_count_cap = 1_000

    def get_queryset(self):
        return selectors.device_list()

    def get_paginator(self, *args, **kwargs):
        if self.request.GET.get("q", "").strip():
            kwargs["count_cap"] = self.search_count_cap
        return super().get_paginator(*args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(filterset=self.filterset, **kwargs)


@permission_required("devices.view_device", raise_exception=True)
def device_find(request):
    """The scan box: a scanned tag goes straight to its device, anything else to a search."""
    text = request.GET.get("tag", "").strip()
    device = selectors.device_by_tag(text) if text else None
    if device is not None:
        return redirect(device)
    url = reverse("devices:device_list")
    return redirect(f"{url}?{urlencode({'q': text})}" if text else url)


@permission_required("devices.view_device", raise_exception=True)
def device_short(request, tag):
    """``/d/<tag>``, the address printed in QR codes."""
    return redirect(get_device(tag))


ERASURES_ON_CARD = 3


@permission_required("devices.view_device", raise_exception=True)
def device_detail(request, tag):
    device = get_device(tag, with_erasure_state=True)
    can_move = request.user.has_perm("devices.change_device_status")
    moves = services.manual_moves(device.status) if can_move else []
    timeline, older_events = recent_timeline(device)
    # The latest few: a device reconditioned many times keeps every erasure in its timeline,
    # and the card is about the drive as it is now.
    erasures = list(device.erasures.all()[: ERASURES_ON_CARD + 1])
    return render(
        request,
        "devices/device_detail.html",
        {
            "device": device,
            "moves": [s for s in moves if s not in services.END_OF_LIFE],
            "end_moves": [s for s in moves if s in services.END_OF_LIFE],
            "timeline": timeline,
            "older_events": older_events,
            "erasures": erasures[:ERASURES_ON_CARD],
            "older_erasures": len(erasures) > ERASURES_ON_CARD,
            "valid_erasure": device.valid_erasure if device.has_storage else None,
        },
    )


@permission_required("devices.view_device", raise_exception=True)
def device_full_timeline(request, tag):
    device = get_device(tag)
    return render(
        request, "devices/device_timeline.html", {"device": device, "timeline": device_timeline(device)}
    )


@permission_required("devices.change_device", raise_exception=True)
def device_update(request, tag):
    device = get_device(tag)
    form = DeviceForm(request.POST or None, request.FILES or None, instance=device)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_device(device, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Device %(tag)s saved.") % {"tag": device.asset_tag})
            return redirect(device)
    return render(request, "devices/device_form.html", {"form": form, "device": device})


@require_POST
@permission_required("devices.change_device_status", raise_exception=True)
def device_transition(request, tag):
    device = get_device(tag)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This move could not be read; reload the page and try again."))
        return redirect(device)
    try:
        device = services.transition(
            device,
            form.cleaned_data["to"],
            actor=request.user,
            note=form.cleaned_data["note"],
            weight_kg=form.cleaned_data["weight_kg"],
            expected_status=form.cleaned_data["expected_status"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(tag)s is now “%(status)s”.") % {"tag": tag, "status": device.get_status_display()}
        )
    return redirect(device)


def _device_record_view(form_class, service, title, success_message, permission):
    """Views that add one record (intervention, erasure) to a device."""

    @permission_required(permission, raise_exception=True)
    def view(request, tag):
        device = get_device(tag)
        form = form_class(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                service(device, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, success_message)
                return redirect(device)
        return render(
            request, "devices/device_record_form.html", {"form": form, "device": device, "title": title}
        )

    return view


intervention_create = _device_record_view(
    InterventionForm,
    services.record_intervention,
    gettext_lazy("Record an intervention"),
    gettext_lazy("Intervention recorded."),
    "devices.add_intervention",
)
erasure_create = _device_record_view(
    ErasureForm,
    services.record_erasure,
    gettext_lazy("Record a drive erasure"),
    gettext_lazy("Erasure recorded."),
    "devices.add_erasure",
)


@permission_required("devices.view_erasure", raise_exception=True)
def erasure_log(request, tag, pk):
    device = get_device(tag)
    erasure = get_object_or_404(device.erasures, pk=pk)
    if not erasure.log_file:
        raise Http404
    return FileResponse(
        erasure.log_file.open("rb"), as_attachment=True, filename=Path(erasure.log_file.name).name
    )


@permission_required("devices.view_device", raise_exception=True)
def device_photo(request, tag):
    device = get_device(tag)
    if not device.photo:
        raise Http404
    return FileResponse(device.photo.open("rb"))


# Donors ----------------------------------------------------------------------------------


class DonorListView(PermissionRequiredMixin, ListView):
    permission_required = "devices.view_donor"
    template_name = "devices/donor_list.html"
    paginate_by = LIST_PAGE_SIZE

    def get_queryset(self):
        queryset = selectors.donor_list()
        if q := self.request.GET.get("q", "").strip():
            queryset = queryset.filter(name__icontains=q)
        return queryset


class DonorDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "devices.view_donor"
    template_name = "devices/donor_detail.html"
    model = Donor

    def get_context_data(self, **kwargs):
        donations = selectors.donation_list().filter(donor=self.object)
        return super().get_context_data(donations=donations, **kwargs)


class DeviceRecordFormView(ServiceFormView):
    """The create/edit pages of donors and donations: one form, one service call."""

    template_name = "devices/simple_form.html"
    title = ""

    def get_context_data(self, **kwargs):
        cancel_url = self.instance.get_absolute_url() if self.instance else reverse(self.list_url_name)
        return super().get_context_data(title=self.instance or self.title, cancel_url=cancel_url, **kwargs)


class DonorCreateView(DeviceRecordFormView):
    permission_required = "devices.add_donor"
    form_class = DonorForm
    title = gettext_lazy("New donor")
    list_url_name = "devices:donor_list"
    success_message = gettext_lazy("Donor saved.")

    def perform(self, form):
        return services.create_donor(actor=self.request.user, **form.cleaned_data)


class DonorUpdateView(DonorCreateView):
    permission_required = "devices.change_donor"

    def get_instance(self):
        return get_object_or_404(Donor, pk=self.kwargs["pk"])

    def perform(self, form):
        return services.update_donor(self.instance, actor=self.request.user, **form.cleaned_data)


# Donations -------------------------------------------------------------------------------


class DonationListView(PermissionRequiredMixin, ListView):
    permission_required = "devices.view_donation"
    template_name = "devices/donation_list.html"
    paginate_by = LIST_PAGE_SIZE

    def get_queryset(self):
        return selectors.donation_list()


class DonationCreateView(DeviceRecordFormView):
    """First the donor (found by name among a territory's thousand, or given by the donor's
    page as ``?donor=``), then the donation's own fields."""

    permission_required = "devices.add_donation"
    form_class = DonationForm
    template_name = "devices/donation_form.html"
    title = gettext_lazy("New donation")
    list_url_name = "devices:donation_list"
    success_message = gettext_lazy("Donation recorded. Now add its devices.")

    def asked_donor(self):
        """The donor id the request names: the form's hidden field, or the link's parameter."""
        params = self.request.POST if self.request.method == "POST" else self.request.GET
        return params.get("donor", "")

    @cached_property
    def donor(self):
        asked = self.asked_donor()
        if not asked:
            return None if self.instance is None or "pick" in self.request.GET else self.instance.donor
        pk = parse_id(asked)
        return Donor.objects.only("pk", "name").filter(pk=pk).first() if pk is not None else None

    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs) if self.donor else self.choose_donor()

    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs) if self.donor else self.choose_donor()

    def choose_donor(self):
        text = self.request.GET.get("q", "").strip()
        # One more than is shown, to know whether there are more.
        donors = selectors.donors_to_choose(text, limit=PICK_LIST_SIZE + 1)
        cancel_url = self.instance.get_absolute_url() if self.instance else reverse(self.list_url_name)
        return render(
            self.request,
            "devices/donation_choose_donor.html",
            {
                "title": self.instance or self.title,
                "donors": donors[:PICK_LIST_SIZE],
                "more": len(donors) > PICK_LIST_SIZE,
                "text": text,
                "refused": bool(self.asked_donor()),
                "cancel_url": cancel_url,
            },
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(donor=self.donor, **kwargs)

    def perform(self, form):
        return services.create_donation(actor=self.request.user, donor=self.donor, **form.cleaned_data)


class DonationUpdateView(DonationCreateView):
    permission_required = "devices.change_donation"
    success_message = gettext_lazy("Donation saved.")

    def get_instance(self):
        return get_object_or_404(Donation.objects.select_related("donor"), pk=self.kwargs["pk"])

    def perform(self, form):
        return services.update_donation(
            self.instance, actor=self.request.user, donor=self.donor, **form.cleaned_data
        )


def _intake_session_key(donation):
    return f"intake:{donation.pk}"


@permission_required("devices.view_donation", raise_exception=True)
def donation_detail(request, pk):
    """The donation and its devices, with the quick intake form for the next device."""
    donation = get_object_or_404(selectors.donation_list(), pk=pk)
    can_add = request.user.has_perm("devices.add_device")
    form = None
    if can_add:
        kept = request.session.get(_intake_session_key(donation), {})
        form = IntakeForm(request.POST or None, initial=kept)
        if request.method == "POST" and form.is_valid():
            try:
                device = services.create_device(donation=donation, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                request.session[_intake_session_key(donation)] = {
                    name: form.data.get(name, "") for name in INTAKE_KEPT_FIELDS
                }
                messages.success(
                    request,
                    _("Device %(tag)s added: write this tag on it or print its label.")
                    % {"tag": device.asset_tag},
                )
                return redirect(reverse("devices:donation_detail", args=[donation.pk]) + "#intake")
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "devices/donation_detail.html",
        {
            "donation": donation,
            "devices": selectors.donation_devices(donation),
            "form": form,
            "bulk_form": BulkTransitionForm(donation=donation),
        },
    )


@require_POST
@permission_required("devices.change_device_status", raise_exception=True)
def donation_bulk_transition(request, pk):
    donation = get_object_or_404(Donation, pk=pk)
    form = BulkTransitionForm(request.POST, donation=donation)
    if not form.is_valid():
        messages.error(request, _("Tick at least one device and choose where to move them."))
        return redirect(donation)
    devices = form.cleaned_data["devices"]
    try:
        services.transition_many(
            devices, form.cleaned_data["to"], actor=request.user, note=form.cleaned_data["note"]
        )
    except services.BatchRefused as exc:
        reasons = "; ".join(f"{e['asset_tag']}: {e['message']}" for e in exc.errors)
        messages.error(request, f"{exc.message} {reasons}")
    else:
        messages.success(
            request,
            _("%(count)d device(s) moved to “%(status)s”.")
            % {"count": len(devices), "status": DeviceStatus(form.cleaned_data["to"]).label},
        )
    return redirect(donation)


IMPORT_DIR_NAME = "imports"


def _import_dir():
    path = Path(settings.MEDIA_ROOT) / IMPORT_DIR_NAME
    path.mkdir(parents=True, exist_ok=True)
    # Previews never confirmed are forgotten after a day.
    for stale in path.iterdir():
        if stale.stat().st_mtime < time.time() - 86400:
            stale.unlink(missing_ok=True)
    return path


@permission_required("devices.add_device", raise_exception=True)
def donation_import(request, pk):
    """Step 1: upload a file and see what it would create; nothing is written yet."""
    donation = get_object_or_404(Donation.objects.select_related("donor"), pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"donation": donation, "form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            result = services.import_devices(
                donation=donation, content=content, filename=upload.name, actor=request.user, dry_run=True
            )
        except services.ImportRejected as exc:
            context.update(rejected=exc)
        else:
            token = uuid.uuid4().hex
            (_import_dir() / token).write_bytes(content)
            request.session[f"import:{token}"] = {"donation": donation.pk, "filename": upload.name}
            context.update(preview=result, token=token)
    return render(request, "devices/donation_import.html", context)


@require_POST
@permission_required("devices.add_device", raise_exception=True)
def donation_import_confirm(request, pk):
    """Step 2: create every previewed device, or none if anything changed meanwhile."""
    donation = get_object_or_404(Donation, pk=pk)
    token = request.POST.get("token", "")
    pending = request.session.get(f"import:{token}") if token.isalnum() else None
    path = _import_dir() / token if pending else None
    if not pending or pending["donation"] != donation.pk or not path.exists():
        messages.error(request, _("This preview has expired. Upload the file again."))
        return redirect("devices:donation_import", pk=donation.pk)
    try:
        result = services.import_devices(
            donation=donation, content=path.read_bytes(), filename=pending["filename"], actor=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("devices:donation_import", pk=donation.pk)
    path.unlink(missing_ok=True)
    del request.session[f"import:{token}"]
    messages.success(request, _("%(count)d devices imported.") % {"count": len(result.devices)})
    return redirect(donation)


@permission_required("devices.view_donation", raise_exception=True)
def donation_receipt(request, pk):
    donation = get_object_or_404(Donation.objects.select_related("donor", "structure", "received_by"), pk=pk)
    pdf = documents.donation_receipt_pdf(donation)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="attestation-don-{donation.number}.pdf"'
    return response


# Labels ----------------------------------------------------------------------------------

LABEL_PREVIEW_SIZE = 12
LABEL_LAYOUT_SESSION_KEY = "labels:layout"


def label_response(label_file):
    """A rendered ``printing.LabelFile``, opened by the browser rather than downloaded."""
    response = HttpResponse(label_file.content, content_type=label_file.content_type)
    response["Content-Disposition"] = f'inline; filename="{label_file.filename}"'
    return response


def _label_initial(request):
    """The print form as the page was opened: from a device, a donation, the list or a selection."""
    query = request.GET
    layout = query.get("layout") or request.session.get(LABEL_LAYOUT_SESSION_KEY)
    initial = {
        "layout": layout if layout in printing.LAYOUTS else printing.DEFAULT_LAYOUT,
        "start_position": 1,
        "format": "pdf",
        "source": LabelPrintForm.SOURCE_TAGS,
    }
    if "filters" in query:
        initial.update(source=LabelPrintForm.SOURCE_FILTERS, filters=query["filters"])
    elif query.get("donation"):
        initial.update(source=LabelPrintForm.SOURCE_DONATION, donation=query["donation"])
    elif tags := query.getlist("device"):
        initial["asset_tags"] = "\n".join(tag for tag in tags if tag.strip())
    return initial


def _label_selection(form, initial):
    """The devices the form names, to show before printing: (selection, error message)."""
    if form.is_bound:
        # Shown again after a refusal, unless the devices themselves were refused.
        kept = getattr(form, "cleaned_data", {})
        if not form.is_valid() and not {"source", "asset_tags", "donation", "filters"} <= set(kept):
            return None, None
        if form.non_field_errors():
            return None, None
        kwargs = form.selection()
    else:
        source = initial["source"]
        if source == LabelPrintForm.SOURCE_FILTERS:
            kwargs = {"filters": initial["filters"]}
        elif source == LabelPrintForm.SOURCE_DONATION:
            kwargs = {"donation": initial["donation"]}
        elif initial.get("asset_tags"):
            kwargs = {"asset_tags": printing.parse_tags(initial["asset_tags"])}
        else:
            return None, None  # an empty form: the tags are still to be typed
    try:
        return printing.select_devices(**kwargs), None
    except DomainError as exc:
        return None, exc.message


def _add_label_error(form, error):
    # The donation and filters travel in hidden fields: their errors go on top of the form.
    field = error.field if error.field in form.fields else None
    if field and form.fields[field].widget.is_hidden:
        field = None
    form.add_error(field, error.message)


@permission_required("devices.view_device", raise_exception=True)
def label_print(request):
    """Print labels: choose the layout and the start position, get the PDF (or a PNG)."""
    initial = _label_initial(request)
    form = LabelPrintForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            label_file = printing.print_labels(
                layout=data["layout"],
                start_position=data["start_position"],
                output_format=data["format"],
                **form.selection(),
            )
        except DomainError as exc:
            _add_label_error(form, exc)
        else:
            request.session[LABEL_LAYOUT_SESSION_KEY] = data["layout"]
            return label_response(label_file)

    source = form["source"].value()
    selection, selection_error = _label_selection(form, initial)
    donation = None
    if source == LabelPrintForm.SOURCE_DONATION:
        donation_id = parse_id(form["donation"].value())
        if donation_id is not None:
            donation = Donation.objects.filter(pk=donation_id).first()
    devices = selection.devices if selection else []
    return render(
        request,
        "devices/label_print.html",
        {
            "form": form,
            "layout_options": [(radio, printing.LAYOUTS[radio.data["value"]]) for radio in form["layout"]],
            "source": source,
            "donation": donation,
            "filters_query": form["filters"].value() or "",
            "devices": devices[:LABEL_PREVIEW_SIZE],
            "more_devices": max(0, len(devices) - LABEL_PREVIEW_SIZE),
            "device_count": len(devices),
            "selection_error": selection_error,
            "max_labels": printing.MAX_LABELS_PER_REQUEST,
        },
    )
