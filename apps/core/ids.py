"""Record ids that arrive in requests (a query string, a hidden field, a JSON list).

One test of what can be an id, so that no value reaches the database that it refuses with a
500: ``str.isdigit()`` also takes "²", which ``int()`` refuses, and SQLite cannot compare a
column with a number past 64 bits.
"""

MAX_ID = 2**63 - 1  # the largest value of a 64-bit integer column, on every database


def is_id(number):
    """Whether the integer ``number`` can be the id of a record."""
    return 1 <= number <= MAX_ID


def parse_id(value):
    """``value`` (text or an integer) as a record id, or ``None`` when it cannot be one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if is_id(value) else None
    text = str(value)
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if is_id(number) else None
