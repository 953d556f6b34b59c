def add_domain_error(form, error):
    """Show a service's refusal on the form: on its field when the form has it, else on top."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
