from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import obtain_auth_token

api_patterns = [
    path("auth/token/", obtain_auth_token, name="api_token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets style attributes from its script: inline styles are allowed on this
    # one page (scripts stay 'self' only), not on the rest of the site. A page to read: its
    # OPTIONS answer looked for a template that drf-spectacular does not name (a 500).
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema", http_method_names=["get", "head"])
        ),
        name="docs",
    ),
    path("", include("apps.accounts.api.urls")),
    path("", include("apps.devices.api.urls")),
    path("", include("apps.households.api.urls")),
    path("", include("apps.training.api.urls")),
    path("", include("apps.allocations.api.urls")),
    path("", include("apps.reports.api.urls")),
]

urlpatterns = [
    path("", include("apps.core.urls")),
    path("", include("apps.devices.urls")),
    path("households/", include("apps.households.urls")),
    path("training/", include("apps.training.urls")),
    path("allocations/", include("apps.allocations.urls")),
    path("reports/", include("apps.reports.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/", include((api_patterns, "api"))),
]

admin.site.site_header = "Ordi-pratique"
admin.site.site_title = "Ordi-pratique"
