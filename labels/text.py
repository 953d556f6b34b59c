"""Making user-typed text printable with a built-in PDF font and fitting it to a width.

Labels use the standard Helvetica fonts, which every PDF viewer and printer has
and which draw the Windows-1252 ("WinAnsi") character set: all French letters
(é è à ç œ Œ ÿ …), € and typographic quotes. Anything else is approximated
(ő -> o) or dropped (emoji), so no glyph is drawn as garbage.
"""

from __future__ import annotations

import re
import unicodedata

from reportlab.pdfbase.pdfmetrics import stringWidth

ELLIPSIS = "\u2026"

# Printable ASCII and Latin-1 letters: all drawable as they are.
_PLAIN = re.compile("[ -~\u00a1-\u00ac\u00ae-\u00ff]*")

# Characters outside Windows-1252 that have an obvious printable stand-in.
_REPLACEMENTS = {
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",  # figure dash
    "\u2015": "\u2014",  # horizontal bar
    "\u2212": "-",  # minus sign
    "\u2032": "'",  # prime
    "\u2033": '"',  # double prime
    "\u2044": "/",  # fraction slash
    "\u00a0": " ",  # no-break space: a plain space is easier to wrap
}


def printable_text(text: str) -> str:
    """Return ``text`` reduced to characters the Helvetica fonts can draw.

    Whitespace and control characters become single spaces, letters outside
    Windows-1252 lose their accents when that makes them drawable, and what is
    left undrawable (emoji, CJK, symbols) is dropped.
    """
    text = unicodedata.normalize("NFC", text or "")
    if _PLAIN.fullmatch(text):
        # The usual case, spared the character-by-character checks below.
        return " ".join(text.split())
    kept = []
    for char in text:
        char = _REPLACEMENTS.get(char, char)
        if char.isspace() or unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            kept.append(" ")
        elif _drawable(char):
            kept.append(char)
        else:
            # Compatibility decomposition turns "ő" into "o" + accent and "ﬁ"
            # into "fi"; keep the drawable parts, drop combining marks.
            for part in unicodedata.normalize("NFKD", char):
                if _drawable(part) and not unicodedata.combining(part):
                    kept.append(part)
    return " ".join("".join(kept).split())


def _drawable(char: str) -> bool:
    if unicodedata.category(char) in ("Cc", "Cf", "Mn", "Me", "Co", "Cs", "Cn"):
        return False
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def text_width(text: str, font: str, size: float) -> float:
    """Width of ``text`` in points when drawn in ``font`` at ``size`` points."""
    return stringWidth(text, font, size)


def fit_text(text: str, font: str, size: float, max_width: float) -> str:
    """Return ``text`` unchanged if it fits ``max_width`` points, else its longest
    prefix that fits once followed by an ellipsis ("" if not even "…" fits).

    ``text`` must already be printable (see ``printable_text``).
    """
    if text_width(text, font, size) <= max_width:
        return text
    # Binary search on the prefix length: width grows with length.
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(_with_ellipsis(text[:middle]), font, size) <= max_width:
            low = middle
        else:
            high = middle - 1
    if low == 0 and text_width(ELLIPSIS, font, size) > max_width:
        return ""
    return _with_ellipsis(text[:low])


def _with_ellipsis(prefix: str) -> str:
    return prefix.rstrip(" ,;:-") + ELLIPSIS


def wrap_text(text: str, font: str, size: float, max_width: float, max_lines: int) -> list[str]:
    """Break ``text`` into at most ``max_lines`` lines, each fitting ``max_width`` points.

    Lines break between words; a word too long for a line is cut where the
    line is full. If the text needs more lines, the last one ends with an
    ellipsis. ``text`` must already be printable (see ``printable_text``).
    """
    if max_lines < 1:
        return []
    words = text.split()
    lines: list[str] = []
    current = ""
    index = 0
    while index < len(words) and len(lines) < max_lines - 1:
        word = words[index]
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, font, size) <= max_width:
            current = candidate
            index += 1
        elif current:
            lines.append(current)
            current = ""
        else:
            # A single word wider than the line: cut it where the line is full.
            cut = _longest_fitting_prefix(word, font, size, max_width)
            lines.append(word[:cut])
            words[index] = word[cut:]
    rest = " ".join(([current] if current else []) + words[index:])
    if rest:
        last = fit_text(rest, font, size, max_width)
        if last:
            lines.append(last)
    return lines


def _longest_fitting_prefix(word: str, font: str, size: float, max_width: float) -> int:
    # At least one character, so that wrapping always progresses.
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(word[:middle], font, size) <= max_width:
            low = middle
        else:
            high = middle - 1
    return low
