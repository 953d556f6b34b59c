"""Errors raised by services when a business rule refuses an action.

Views turn them into form errors or messages, the API into 400/409 responses, so a
rule is written once, in its service, and reads the same on every path.
"""


class DomainError(Exception):
    """A business rule refused the action (HTTP 400). ``field`` names the input at fault."""

    status_code = 400
    default_code = "invalid"

    def __init__(self, message, *, code=None, field=None):
        super().__init__(message)
        self.message = str(message)
        self.code = code or self.default_code
        self.field = field

    def as_dict(self):
        if self.field:
            return {self.field: [self.message], "code": self.code}
        return {"detail": self.message, "code": self.code}


class ConflictError(DomainError):
    """The object is not in a state that allows the action, often because someone else
    changed it first (HTTP 409)."""

    status_code = 409
    default_code = "conflict"
