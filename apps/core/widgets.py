"""Form widgets."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """A ``<select>`` of many options (the donors of a territory), written out in Python.

    Django renders each option through two templates, about 40 µs each: for 1,000 donors that
    was most of the donation form's time. The markup is Django's own (a test compares the two).
    Grouped choices, which no such field has, go through Django's rendering.
    """

    def render(self, name, value, attrs=None, renderer=None):
        # Through ``iter()``: ``list()`` asks a model choice iterator its length first, one
        # more query (a COUNT) for a list about to be read anyway.
        choices = list(iter(self.choices))
        if any(isinstance(label, list | tuple) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        selected = set(self.format_value(value))
        options = []
        for choice, label in choices:
            option = self._value_of(choice)
            options.append(
                f'<option value="{escape(option)}"{" selected" if option in selected else ""}>'
                f"{conditional_escape(label)}</option>"
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(options)),  # every value and label is escaped above
        )

    @staticmethod
    def _value_of(choice):
        # A model choice's value wraps the primary key; a blank choice is "".
        value = getattr(choice, "value", choice)
        return "" if value is None else str(value)
