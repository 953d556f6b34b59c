from django import forms
from django.core.exceptions import ValidationError

from .ids import parse_id


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing a value that cannot be an id before its query: Django checks each
    id alone (and skips one past 64 bits), then asks for them all with ``IN``, which SQLite
    refused with a 500 for such a number."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                if parse_id(pk) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)


def add_domain_error(form, error):
    """Show a service's refusal on the form: on its field when the form has it, else on top."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def add_validation_error(form, error):
    """Show a model check a service made (``full_clean``) on the form: each message on its
    field when the form has it, else on top."""
    for field, messages in (
        error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    ):
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
