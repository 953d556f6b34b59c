"""Comparable forms of a phone number and a person's name, to spot a household registered twice.

The same family is often referred by two partners who type its details differently
("+33 6 12 34 56 78" and "06.12.34.56.78", "Fatima BENALI" and "benali fatima"), so the
comparison runs on keys stripped of what varies from one typist to the next.
"""

import re
import unicodedata

from django.db.models import Q

FRENCH_COUNTRY_CODE = "33"
FRENCH_NATIONAL_DIGITS = 10
# Fewer digits than this is not a phone number worth comparing (a typo, an extension).
MIN_PHONE_DIGITS = 6
# Fewer digits than this in a search is too little to look through phone numbers.
MIN_PHONE_SEARCH_DIGITS = 4


def phone_key(phone):
    """Digits only, French numbers in their national form: ``+33 6 12…`` and ``06 12…`` match.

    Returns "" for a value too short to identify anyone.
    """
    raw = (phone or "").strip()
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("00"):
        digits = digits[2:]
        raw = "+" + digits
    if raw.startswith("+"):
        if not digits.startswith(FRENCH_COUNTRY_CODE):
            # A foreign number keeps its country code, so it never matches a French one.
            return "+" + digits if len(digits) >= MIN_PHONE_DIGITS else ""
        digits = digits[len(FRENCH_COUNTRY_CODE) :]
        # "+33 (0)6 …" is a common way of writing it: the 0 is the national prefix again.
        digits = digits if digits.startswith("0") else "0" + digits
    elif len(digits) == FRENCH_NATIONAL_DIGITS - 1 and not digits.startswith("0"):
        # "6 12 34 56 78": a French number typed without its leading 0.
        digits = "0" + digits
    return digits if len(digits) >= MIN_PHONE_DIGITS else ""


# Letters Unicode does not decompose that French keyboards type otherwise: ligatures, and
# the Turkish dotless i ("Yılmaz" is often typed "Yilmaz").
UNDECOMPOSED_LETTERS = str.maketrans({"œ": "oe", "æ": "ae", "ı": "i"})


def name_key(name):
    """Lower case, without accents or punctuation, words sorted: "BENALI Fatima" == "Fatima Bénali".

    Letters of every script are kept, so a name written in another alphabet still has a key.
    """
    decomposed = unicodedata.normalize("NFKD", (name or "").casefold().translate(UNDECOMPOSED_LETTERS))
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = re.split(r"[\W_]+", without_accents)
    return " ".join(sorted(word for word in words if word))


def name_or_phone(text, prefix=""):
    """The households whose name or phone contains ``text``, however either was typed
    (accents, case, spaces, +33), as a condition on the household at ``prefix``
    (``"household__"`` from an enrolment); ``None`` when ``text`` holds nothing to search."""
    condition = Q()
    words = name_key(text)
    if words:
        condition |= Q(**{f"{prefix}name_key__contains": words})
    digits = re.sub(r"\D", "", text)
    if len(digits) >= MIN_PHONE_SEARCH_DIGITS:
        condition |= Q(**{f"{prefix}phone_key__contains": phone_key(text) or digits})
    return condition or None
