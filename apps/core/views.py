"""Generic screens shared by every app: a form that calls one service, a filtered list."""

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from .exceptions import DomainError
from .forms import add_domain_error, add_validation_error

LIST_PAGE_SIZE = 25
# A screen where one picks a household (to enrol it, to reserve devices for it) lists this many
# candidates at most, the newest first; a name or phone finds the others. A territory has tens
# of thousands of them, which no <select> can hold.
PICK_LIST_SIZE = 20


class HomeView(TemplateView):
    """Each role's start page: its own work, from the menu entries its permissions allow."""

    template_name = "core/home.html"


class PrivacyRegisterView(PermissionRequiredMixin, TemplateView):
    """The register of processing (GDPR art. 30): what is collected, why, for how long.
    Kept in the repository as a template, for the coordinators who answer for it."""

    permission_required = "households.view_all_households"
    raise_exception = True
    template_name = "core/privacy.html"

    def get_context_data(self, **kwargs):
        from django.conf import settings

        return super().get_context_data(retention_months=settings.HOUSEHOLD_RETENTION_MONTHS, **kwargs)


class ServiceFormView(PermissionRequiredMixin, FormView):
    """A form whose valid data goes to one service call, ``perform(form)``.

    A business rule the service refuses (``DomainError``) comes back as a form error, on its
    field when the form has it, so bad input is never a 500.
    """

    raise_exception = True
    success_message = ""

    def get_instance(self):
        """The object an edit form changes, looked up in the user's scope (a 404 outside it);
        ``None`` for a form that creates."""
        return None

    @cached_property
    def instance(self):
        return self.get_instance()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.instance is not None:
            kwargs["instance"] = self.instance
        return kwargs

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.perform(form)
        except DomainError as error:
            return self.refused(form, error)
        except ValidationError as error:
            # A model check the form could not make: on a value the service normalised
            # (a code upper-cased, say), or across several fields.
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())

    def get_success_message(self):
        return self.success_message % {"object": self.object}

    def refused(self, form, error):
        add_domain_error(form, error)
        return self.form_invalid(form)

    def get_success_url(self):
        return self.object.get_absolute_url()


class FilteredListView(PermissionRequiredMixin, FilterView):
    """A paginated list with its filters; ``query`` keeps the filters on the page links
    (``includes/pagination.html``)."""

    raise_exception = True
    paginate_by = LIST_PAGE_SIZE

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(query=query.urlencode(), **kwargs)
