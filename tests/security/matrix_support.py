"""Enumerates every screen and every API operation, and builds their URLs for the seeded
world of ``conftest.build_world``. Shared by the matrix test and its generator."""

import re

from django.urls import URLResolver, get_resolver, reverse

# The site's own screens; Django's admin has its own permission system (staff only), checked
# separately, and the password-reset pages are public by design.
SKIPPED_PREFIXES = ("admin/",)
ACTORS = ("anonymous", "technician", "trainer", "other_trainer", "coordinator")


def walk(resolver=None, prefix="", namespace=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern, prefix + str(pattern.pattern), ns)
        else:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield prefix + str(pattern.pattern), name


def page_names():
    """Every named URL of the site except the admin and the API (the API is enumerated
    from its schema, per operation)."""
    return sorted(
        {
            name
            for route, name in walk()
            if not route.startswith(SKIPPED_PREFIXES) and not name.startswith("api:")
        }
    )


def _route_params(name):
    routes = [route for route, route_name in walk() if route_name == name]
    return set(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", routes[0])) if routes else set()


def page_kwargs(name, world):
    """The URL arguments of ``name`` pointing at the seeded object of its kind."""
    w = world
    by_name = {
        "devices:erasure_log": {"tag": w.spare.asset_tag, "pk": w.erasure.pk},
        "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "reports:table_export": {"key": "summary", "extension": "csv"},
        "reports:handovers": {"extension": "csv"},
        "reports:object_history": {"kind": "household", "pk": w.household.pk},
        "allocations:follow_up_create": {"pk": w.allocation.pk},
        "training:session_create": {"pk": w.course.pk},
        "training:enrolment_create": {"pk": w.course.pk},
    }
    if name in by_name:
        return by_name[name]
    params = {a or b for a, b in _route_params(name)}
    if params == {"tag"}:
        return {"tag": w.device.asset_tag}
    if params == {"pk"}:
        view = name.split(":")[-1]
        for prefix in (
            "donor",
            "donation",
            "household",
            "neighbourhood",
            "course",
            "session",
            "enrolment",
            "allocation",
        ):
            if view.startswith(prefix + "_"):
                return {"pk": getattr(w, prefix).pk}
        raise AssertionError(f"matrix_support.page_kwargs does not know which object {name} takes")
    if params:
        raise AssertionError(f"matrix_support.page_kwargs does not know the arguments of {name}: {params}")
    return {}


def page_url(name, world):
    return reverse(name, kwargs=page_kwargs(name, world))


# API ------------------------------------------------------------------------------------


def api_operations():
    """``(method, path template)`` of every operation in the OpenAPI schema."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, item in schema["paths"].items():
        for method in item:
            if method in {"get", "post", "put", "patch", "delete"}:
                operations.append((method.upper(), path))
    return sorted(operations)


API_OBJECTS = {
    "structures": lambda w: w.structure.pk,
    "donors": lambda w: w.donor.pk,
    "donations": lambda w: w.donation.pk,
    "devices": lambda w: w.device.pk,
    "neighbourhoods": lambda w: w.neighbourhood.pk,
    "households": lambda w: w.household.pk,
    "courses": lambda w: w.course.pk,
    "sessions": lambda w: w.session.pk,
    "enrolments": lambda w: w.enrolment.pk,
    "attendance": lambda w: w.attendance.pk,
    "allocations": lambda w: w.allocation.pk,
    "follow-ups": lambda w: w.follow_up.pk,
}


def api_url(path, world):
    collection = path.split("/")[2]
    return re.sub(r"\{[^}]+\}", lambda m: str(API_OBJECTS[collection](world)), path)
