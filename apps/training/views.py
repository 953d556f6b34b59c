"""Course, session, enrolment and attendance screens: thin, they read through selectors and
write through services."""

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView

from apps.allocations.selectors import open_reservations_of
from apps.core.exceptions import DomainError
from apps.core.views import PICK_LIST_SIZE, FilteredListView, ServiceFormView

from . import selectors, services
from .attendance_sheet import render_attendance_sheet
from .choices import EnrolmentStatus
from .filters import CourseFilter
from .forms import AttendanceForm, CourseForm, EnrolForm, SessionForm, WithdrawForm


class CourseListView(FilteredListView):
    permission_required = "training.view_course"
    filterset_class = CourseFilter
    template_name = "training/course_list.html"

    def get_queryset(self):
        return selectors.course_list(self.request.user)


class CourseDetailView(PermissionRequiredMixin, DetailView):
    """The course page: its sessions, and who is enrolled, waiting, completed, close or gone."""

    permission_required = "training.view_course"
    raise_exception = True
    template_name = "training/course_detail.html"

    def get_queryset(self):
        return selectors.course_list(self.request.user)

    def get_context_data(self, **kwargs):
        course = self.object
        enrolments = list(selectors.course_enrolments(course))
        by_status = {status: [e for e in enrolments if e.status == status] for status in EnrolmentStatus}
        context = {
            "sessions": selectors.course_sessions(course),
            "enrolled": by_status[EnrolmentStatus.ENROLLED],
            "waiting": by_status[EnrolmentStatus.WAITING],
            "withdrawn": by_status[EnrolmentStatus.WITHDRAWN],
            "completed_count": sum(1 for e in enrolments if e.is_completed),
        }
        return super().get_context_data(**context, **kwargs)


class CourseFormMixin:
    form_class = CourseForm
    template_name = "training/course_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "structure": self.structure}


class CourseCreateView(CourseFormMixin, ServiceFormView):
    permission_required = "training.add_course"
    success_message = _("Course “%(object)s” created. Now add its sessions.")

    @property
    def structure(self):
        return self.request.user.structure

    def get_initial(self):
        return {"trainers": [self.request.user]}

    def perform(self, form):
        return services.create_course(actor=self.request.user, structure=self.structure, **form.cleaned_data)


class CourseUpdateView(CourseFormMixin, ServiceFormView):
    permission_required = "training.change_course"
    success_message = _("Course “%(object)s” updated.")

    def get_instance(self):
        return get_object_or_404(selectors.courses_visible_to(self.request.user), pk=self.kwargs["pk"])

    @property
    def structure(self):
        return self.instance.structure

    def perform(self, form):
        return services.update_course(self.instance, actor=self.request.user, **form.cleaned_data)


class CourseChildFormMixin:
    """Forms of a page under a course (a new session, an enrolment): the course comes from
    the URL, among those the user may see."""

    @cached_property
    def course(self):
        return get_object_or_404(selectors.courses_visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(course=self.course, **kwargs)


class SessionCreateView(CourseChildFormMixin, ServiceFormView):
    permission_required = "training.add_session"
    form_class = SessionForm
    template_name = "training/session_form.html"
    success_message = _("Session “%(object)s” added.")

    def perform(self, form):
        return services.create_session(actor=self.request.user, course=self.course, **form.cleaned_data)

    def get_success_url(self):
        return self.course.get_absolute_url() + "#sessions"


class SessionUpdateView(ServiceFormView):
    permission_required = "training.change_session"
    form_class = SessionForm
    template_name = "training/session_form.html"
    success_message = _("Session “%(object)s” updated.")

    def get_instance(self):
        return get_object_or_404(
            selectors.sessions_visible_to(self.request.user).select_related("course"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(course=self.instance.course, **kwargs)

    def perform(self, form):
        return services.update_session(self.instance, actor=self.request.user, **form.cleaned_data)


class SessionDetailView(PermissionRequiredMixin, DetailView):
    """The attendance screen, made for a phone: one row per household, one tap each."""

    permission_required = "training.view_session"
    raise_exception = True
    template_name = "training/session_detail.html"
    context_object_name = "session"

    def get_queryset(self):
        return selectors.sessions_visible_to(self.request.user).select_related("course__structure")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**attendance_context(self.request, self.object), **kwargs)


def attendance_context(request, session):
    roll = list(selectors.attendance_roll(session))
    return {
        "roll": roll,
        "present_count": sum(1 for row in roll if row.present),
        "can_take_attendance": session.is_held
        and request.user.has_perms(["training.add_attendance", "training.change_attendance"]),
    }


class SessionAttendanceView(PermissionRequiredMixin, View):
    """One tap: marks a household present or absent. With htmx it answers the household's
    row and the updated count; without JavaScript it is a plain form post and redirect."""

    permission_required = ["training.add_attendance", "training.change_attendance"]
    raise_exception = True
    http_method_names = ["post"]

    def post(self, request, pk):
        session = get_object_or_404(
            selectors.sessions_visible_to(request.user).select_related("course"), pk=pk
        )
        form = AttendanceForm(request.POST, session=session)
        household, error = None, None
        if form.is_valid():
            household = form.cleaned_data["household"]
            try:
                services.record_attendance(
                    actor=request.user,
                    session=session,
                    household=household,
                    present=form.cleaned_data["present"],
                )
            except DomainError as refused:
                error = refused.message
        else:
            error = _("This household is not enrolled in this course.")
        anchor = f"#household-{household.pk}" if household else ""
        if not request.htmx:
            if error:
                messages.error(request, error)
            return redirect(session.get_absolute_url() + anchor)
        context = {"session": session, **attendance_context(request, session), "error": error}
        context["row"] = next(
            (row for row in context["roll"] if household and row.household_id == household.pk), None
        )
        return HttpResponse(
            render_to_string("training/includes/attendance_tap.html", context, request=request)
        )


class SessionSheetView(PermissionRequiredMixin, DetailView):
    """The attendance sheet (feuille d'émargement) to print and have signed, as a PDF."""

    permission_required = "training.view_session"
    raise_exception = True

    def get_queryset(self):
        return selectors.sessions_visible_to(self.request.user).select_related("course__structure")

    def render_to_response(self, context):
        session = self.object
        pdf = render_attendance_sheet(selectors.attendance_sheet_of(session))
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = f"emargement-{session.starts_at:%Y-%m-%d}-{session.course_id}-{session.pk}.pdf"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response


class EnrolmentCreateView(CourseChildFormMixin, ServiceFormView):
    permission_required = "training.add_enrolment"
    form_class = EnrolForm
    template_name = "training/enrolment_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "course": self.course}

    def get_context_data(self, **kwargs):
        text = self.request.GET.get("q", "").strip()
        # One more than is shown, to know whether there are more.
        households = selectors.households_to_enrol_found(
            self.request.user, self.course, text, limit=PICK_LIST_SIZE + 1
        )
        return super().get_context_data(
            households=households[:PICK_LIST_SIZE], more=len(households) > PICK_LIST_SIZE, text=text, **kwargs
        )

    def perform(self, form):
        return services.enrol_household(
            actor=self.request.user, course=self.course, household=form.cleaned_data["household"]
        )

    def get_success_message(self):
        enrolment = self.object
        if enrolment.status == EnrolmentStatus.WAITING:
            return _("The course is full: %(household)s is on the waiting list (position %(position)d).") % {
                "household": enrolment.household,
                "position": selectors.waiting_position(enrolment),
            }
        return _("%(household)s is enrolled.") % {"household": enrolment.household}


class EnrolmentWithdrawView(ServiceFormView):
    permission_required = "training.change_enrolment"
    form_class = WithdrawForm
    template_name = "training/enrolment_withdraw.html"

    @cached_property
    def enrolment(self):
        return get_object_or_404(selectors.enrolments_to_withdraw(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            enrolment=self.enrolment,
            course=self.enrolment.course,
            reservations=open_reservations_of(self.enrolment),
            **kwargs,
        )

    def perform(self, form):
        return services.withdraw_enrolment(
            actor=self.request.user, enrolment=self.enrolment, reason=form.cleaned_data["reason"]
        )

    def get_success_message(self):
        withdrawal = self.object
        message = _("%(household)s has withdrawn from the course.") % {
            "household": withdrawal.enrolment.household
        }
        for allocation in withdrawal.cancelled:
            message += " " + _(
                "Its reservation no. %(number)s is cancelled: the devices are ready again."
            ) % {"number": allocation.number}
        for promoted in withdrawal.promoted:
            message += " " + _("%(household)s moves up from the waiting list and is now enrolled.") % {
                "household": promoted.household
            }
        return message

    def get_success_url(self):
        return reverse("training:course_detail", args=[self.enrolment.course_id])
