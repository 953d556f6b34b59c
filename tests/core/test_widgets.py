"""LongSelect writes the same <select> as Django's own widget, only faster."""

from html.parser import HTMLParser

import pytest
from django import forms

from apps.core.widgets import LongSelect
from apps.devices.models import Donor
from tests.devices.factories import DonorFactory

pytestmark = pytest.mark.django_db


def markup(html):
    """The tags (attributes in any order), their text and entities as a browser reads them."""
    parsed = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            parsed.append((tag, sorted(attrs)))

        def handle_endtag(self, tag):
            parsed.append(("/" + tag,))

        def handle_data(self, data):
            if data.strip():
                parsed.append(data)

    Reader(convert_charrefs=True).feed(str(html))
    return parsed


def form_with(widget, **kwargs):
    class DonorForm(forms.Form):
        donor = forms.ModelChoiceField(queryset=Donor.objects.order_by("name"), widget=widget)

    return DonorForm(**kwargs)


@pytest.mark.parametrize(
    "data", [None, "chosen", {"donor": "not a number"}], ids=["blank", "chosen", "invalid"]
)
def test_long_select_writes_what_djangos_select_writes(data):
    donors = [DonorFactory(name=name) for name in ("Banque <Rhône> & Cie", "Mairie", "« Ateliers »")]
    if data == "chosen":
        data = {"donor": str(donors[1].pk)}

    django_html = form_with(forms.Select, data=data)["donor"]
    long_html = form_with(LongSelect, data=data)["donor"]

    assert markup(long_html) == markup(django_html)
    options = [tag for tag in markup(long_html) if tag[0] == "option"]
    assert len(options) == 4  # the blank choice and the three donors
    assert "Banque <Rhône> & Cie" in markup(long_html)
    if data and data["donor"].isdigit():
        assert ("option", [("selected", None), ("value", str(donors[1].pk))]) in options


def test_a_long_select_reads_its_choices_in_one_query(django_assert_num_queries):
    DonorFactory.create_batch(3)
    field = form_with(LongSelect)["donor"]
    with django_assert_num_queries(1):  # the options, no COUNT before them
        html = str(field)
    assert html.count("<option") == 4
