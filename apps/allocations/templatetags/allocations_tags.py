from django import template

from apps.training.choices import EnrolmentStatus

from .. import selectors

register = template.Library()


@register.inclusion_tag("allocations/includes/household_allocations.html", takes_context=True)
def household_allocations(context, household, enrolments=()):
    """The household's allocations, and a way to reserve devices through each active enrolment."""
    user = context["request"].user
    return {
        "perms": context.get("perms"),
        "allocations": selectors.allocations_of_household(user, household).order_by("-reserved_at"),
        "active_enrolments": [e for e in enrolments if e.status == EnrolmentStatus.ENROLLED],
    }
