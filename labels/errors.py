"""The one exception type the labels package raises for bad input."""


class LabelError(ValueError):
    """Raised when labels cannot be rendered as asked (bad layout, data or range).

    The message is plain English meant to be shown to the user.
    """
