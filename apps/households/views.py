"""Household and neighbourhood screens: thin, they read through selectors and write through services."""

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from apps.allocations.choices import AllocationStatus
from apps.core.views import LIST_PAGE_SIZE, FilteredListView, ServiceFormView

from . import privacy, selectors, services
from .filters import HouseholdFilter
from .forms import HouseholdForm, NeighbourhoodForm
from .models import Neighbourhood


class HouseholdListView(FilteredListView):
    permission_required = "households.view_household"
    filterset_class = HouseholdFilter
    template_name = "households/household_list.html"

    def get_queryset(self):
        return selectors.household_list(self.request.user)


class HouseholdDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "households.view_household"
    raise_exception = True
    template_name = "households/household_detail.html"

    def get_queryset(self):
        return selectors.household_list(self.request.user)

    def get_context_data(self, **kwargs):
        # Imported here: training builds on households, not the other way round.
        from apps.training.selectors import enrolments_of_household

        return super().get_context_data(
            enrolments=enrolments_of_household(self.request.user, self.object), **kwargs
        )


class HouseholdCreateView(ServiceFormView):
    permission_required = "households.add_household"
    form_class = HouseholdForm
    template_name = "households/household_form.html"
    success_message = _("Household “%(object)s” registered.")

    def perform(self, form):
        return services.register_household(
            actor=self.request.user,
            structure=self.request.user.structure,
            confirm_duplicate=form.cleaned_data.pop("confirm_duplicate", False),
            **form.cleaned_data,
        )

    def refused(self, form, error):
        if not isinstance(error, services.LikelyDuplicateError):
            return super().refused(form, error)
        form.add_error(None, error.message)
        form.ask_duplicate_confirmation()
        visible = selectors.duplicates_visible_to(self.request.user, error.duplicates)
        return self.render_to_response(
            self.get_context_data(
                form=form,
                visible_duplicates=visible,
                hidden_duplicate_count=len(error.duplicates) - len(visible),
            )
        )


class HouseholdUpdateView(ServiceFormView):
    permission_required = "households.change_household"
    form_class = HouseholdForm
    template_name = "households/household_form.html"
    success_message = _("Household “%(object)s” updated.")

    def get_instance(self):
        return get_object_or_404(selectors.household_list(self.request.user), pk=self.kwargs["pk"])

    def perform(self, form):
        return services.update_household(self.instance, actor=self.request.user, **form.cleaned_data)


class NeighbourhoodListView(PermissionRequiredMixin, ListView):
    permission_required = "households.view_neighbourhood"
    raise_exception = True
    paginate_by = LIST_PAGE_SIZE
    template_name = "households/neighbourhood_list.html"

    def get_queryset(self):
        return selectors.neighbourhood_list()


class NeighbourhoodCreateView(ServiceFormView):
    permission_required = "households.add_neighbourhood"
    form_class = NeighbourhoodForm
    template_name = "households/neighbourhood_form.html"
    success_message = _("Neighbourhood “%(object)s” added.")

    def perform(self, form):
        return services.create_neighbourhood(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("households:neighbourhood_list")


class NeighbourhoodUpdateView(NeighbourhoodCreateView):
    permission_required = "households.change_neighbourhood"
    success_message = _("Neighbourhood “%(object)s” updated.")

    def get_instance(self):
        return get_object_or_404(Neighbourhood, pk=self.kwargs["pk"])

    def perform(self, form):
        return services.update_neighbourhood(self.instance, actor=self.request.user, **form.cleaned_data)


class HouseholdExportView(PermissionRequiredMixin, DetailView):
    """GDPR access request: everything held about the household, in one JSON file."""

    permission_required = "households.export_household"
    raise_exception = True

    def get_queryset(self):
        return selectors.household_list(self.request.user)

    def render_to_response(self, context, **response_kwargs):
        response = HttpResponse(
            privacy.export_household_json(self.object), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="household-{self.object.pk}.json"'
        return response


class HouseholdAnonymiseView(PermissionRequiredMixin, TemplateView):
    """GDPR erasure request: a confirmation page, then the same anonymisation as retention."""

    permission_required = "households.anonymise_household"
    raise_exception = True
    template_name = "households/household_anonymise.html"

    @cached_property
    def household(self):
        return get_object_or_404(selectors.household_list(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        open_reservations = self.household.allocations.filter(status=AllocationStatus.RESERVED).count()
        return super().get_context_data(
            household=self.household, open_reservations=open_reservations, **kwargs
        )

    def post(self, request, *args, **kwargs):
        privacy.anonymise_household(self.household, actor=request.user, reason="erasure on request")
        messages.success(request, _("The household's personal data have been erased."))
        return redirect(self.household.get_absolute_url())
