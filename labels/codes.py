"""QR code and Code 128 symbols as module grids, and their dark areas as runs.

Nothing here knows about millimetres or PDF: shapes are in module units with
the origin at the top-left corner of the symbol (quiet zones excluded), so the
renderer can scale them to whatever size the label allows.
"""

from __future__ import annotations

import re
from functools import cache

import barcode
import qrcode
from barcode.charsets import code128 as code128_charset
from qrcode.constants import ERROR_CORRECT_M
from qrcode.exceptions import DataOverflowError
from qrcode.util import MODE_ALPHA_NUM, MODE_NUMBER, QRData, optimal_mode

from .errors import LabelError

QR_QUIET_ZONE_MODULES = 4
CODE128_QUIET_ZONE_MODULES = 10

# Letting qrcode choose the "best" of the 8 QR masks makes it build and score 8
# symbols: about 6 ms per code instead of 0.9 ms, which alone would take 1,000
# labels far past 2 seconds. Every decoder reads every mask; the score only
# steers clear of rare finder-like patterns, and the tests decode each code.
QR_MASK_PATTERN = 0

Run = tuple[int, int, int]  # x, y, width in modules, y pointing down

_DARK_RUN = re.compile(b"\x01+")


def qr_matrix(data: str) -> list[list[bool]]:
    """Dark (True) / light modules of the QR code for ``data``, row by row, without quiet zone.

    Error correction is level M (15 %), the usual trade-off for printed labels
    that may get scratched. The symbol version grows with the data length; a
    URL written in capitals, digits and ``$%*+-./:`` only is encoded in the
    denser alphanumeric mode and gives a smaller code.
    """
    payload = data.encode("utf-8")
    mode = optimal_mode(payload)
    code = qrcode.QRCode(
        version=_qr_version(mode, len(payload)),
        error_correction=ERROR_CORRECT_M,
        border=0,
        mask_pattern=QR_MASK_PATTERN,
    )
    # One segment in one mode: the version then depends on the length alone.
    code.add_data(QRData(payload, mode=mode, check_data=False))
    code.make(fit=False)
    return code.modules


@cache
def _qr_version(mode: int, length: int) -> int:
    # Found once per mode and length instead of qrcode searching it (twice)
    # for every code.
    filler = {MODE_NUMBER: b"0", MODE_ALPHA_NUM: b"A"}.get(mode, b"a")
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
    code.add_data(QRData(filler * length, mode=mode))
    try:
        return code.best_fit()
    # qrcode 8.2 reports "more than version 40" as a ValueError from its
    # version setter before it can raise its own DataOverflowError.
    except (DataOverflowError, ValueError):
        raise LabelError(f"URL is too long for a QR code ({length} bytes).") from None


def code128_encodable(text: str) -> bool:
    """True if python-barcode can encode every character of ``text`` in Code 128."""
    return bool(text) and all(char in code128_charset.ALL for char in text)


def code128_modules(text: str) -> str:
    """Code 128 modules for ``text`` as a string of '1' (bar) and '0' (space), without quiet zones.

    The string includes start, check and stop characters; its length is the
    symbol width in modules.
    """
    if not code128_encodable(text):
        raise LabelError(f"Asset tag {text!r} cannot be encoded as a Code 128 barcode (use printable ASCII).")
    # A new Code128 object each time: build() mutates the object's charset state.
    return barcode.get("code128", text).build()[0]


def bar_runs(modules: str) -> list[tuple[int, int]]:
    """(start, width) of each bar in a module string, adjacent '1's merged into one bar."""
    return _runs([module == "1" for module in modules])


def matrix_runs(matrix: list[list[bool]]) -> list[Run]:
    """(x, y, width) of each horizontal run of dark modules in ``matrix``, y pointing down.

    The rows are joined into one byte string, separated by a light module, so
    that a regular expression finds every run in C; this is several times
    faster than walking the modules in Python, and merging runs vertically
    as well saved too little drawing time to pay for itself.
    """
    stride = len(matrix) + 1
    flat = b"\x00".join(map(bytes, matrix))
    spans = map(re.Match.span, _DARK_RUN.finditer(flat))
    return [(start % stride, start // stride, end - start) for start, end in spans]


def _runs(cells) -> list[tuple[int, int]]:
    """(start, length) of each stretch of true values in ``cells``."""
    runs = []
    start = None
    for index, dark in enumerate(cells):
        if dark:
            if start is None:
                start = index
        elif start is not None:
            runs.append((start, index - start))
            start = None
    if start is not None:
        runs.append((start, len(cells) - start))
    return runs


def qr_runs(data: str) -> tuple[int, list[Run]]:
    """(size in modules, runs of dark modules) of the QR code for ``data``."""
    matrix = qr_matrix(data)
    return len(matrix), matrix_runs(matrix)
