from rest_framework.routers import SimpleRouter


class Router(SimpleRouter):
    """Every app's API router. The trailing slash is optional, so that document endpoints
    read naturally (``/api/donations/1/receipt.pdf``) and clients may omit it anywhere."""

    def __init__(self):
        super().__init__()
        # The constructor only takes a boolean; the regex itself is what makes it optional.
        self.trailing_slash = "/?"
