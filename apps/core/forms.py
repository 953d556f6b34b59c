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
