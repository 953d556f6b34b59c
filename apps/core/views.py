from django.views.generic import TemplateView


class HomeView(TemplateView):
    """Each role's start page: its own work, from the menu entries its permissions allow."""

    template_name = "core/home.html"
