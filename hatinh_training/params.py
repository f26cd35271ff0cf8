"""Numbers read from addresses and query strings.

`str.isdigit()` accepts "²" and 20-digit strings that int() or the database then
refuse with a server error; these accept plain ASCII digits of a sane length only.
"""

import re

FIRST_YEAR, LAST_YEAR = 1945, 2100
_WHOLE = re.compile(r"[0-9]{1,9}")
DATE_PART_SUFFIXES = ("__year", "__month", "__day")


def whole_number(value) -> int | None:
    """The value as a whole number, or None when it is anything else."""
    if value is None or not _WHOLE.fullmatch(str(value)):
        return None
    return int(value)


def report_year(value) -> int | None:
    year = whole_number(value)
    return year if year is not None and FIRST_YEAR <= year <= LAST_YEAR else None


def bad_date_parts(query) -> bool:
    """A date drill-down part (`start_date__year=…`) that is not a whole number up to
    LAST_YEAR: Django's own drill-down lets an oversized one overflow in the database."""
    return any(
        (number := whole_number(value)) is None or number > LAST_YEAR
        for key, value in query.items()
        if key.endswith(DATE_PART_SUFFIXES)
    )
