"""What one label says."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import LabelError


@dataclass(frozen=True)
class LabelData:
    """The content of one device label.

    ``asset_tag`` is printed large and encoded in the Code 128 barcode, so it
    must be printable ASCII; ``url`` is encoded in the QR code. The text fields
    may hold any Unicode: what the label font cannot draw is dropped or
    approximated, and what is too long is shortened with an ellipsis. ``None``
    is accepted for the optional text fields and means "".
    """

    asset_tag: str
    url: str
    title: str = ""
    subtitle: str = ""
    programme: str = ""

    def __post_init__(self) -> None:
        for name in ("title", "subtitle", "programme"):
            value = getattr(self, name)
            if value is None:
                object.__setattr__(self, name, "")
            elif not isinstance(value, str):
                raise LabelError(f"Label {name} must be text, not {type(value).__name__}.")
        tag = self.asset_tag
        if not isinstance(tag, str) or not tag.strip():
            raise LabelError("Every label needs an asset tag.")
        # Code 128 as python-barcode builds it, and a USB scanner typing it
        # back, only handle ASCII; control characters would be invisible.
        if not all(" " <= char <= "~" for char in tag):
            raise LabelError(f"Asset tag {tag!r} must contain printable ASCII characters only.")
        if not isinstance(self.url, str) or not self.url.strip():
            raise LabelError(f"Label {tag} needs a URL for its QR code.")
