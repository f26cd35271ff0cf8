"""Vietnamese number formatting for the report page, its paragraph and its exports.

Independent of the active locale on purpose: the .docx and the paragraph must read
"23.450" and "64,5%" whoever asks for them.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import dateformat


def rounded(value, digits: int = 1) -> float | None:
    """Half-up rounding (Python's round() is half-even: 0.25 -> 0.2)."""
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def percent_of(part, whole, digits: int = 1) -> float | None:
    """part / whole in %, rounded half-up; None where the whole is 0 (no base to compare)."""
    if not whole:
        return None
    if not (isinstance(part, int) and isinstance(whole, int)):
        return rounded(Decimal(str(part)) * 100 / Decimal(str(whole)), digits)
    # Whole numbers (every count in a report): exact integer arithmetic, and fast over
    # the 1,400 rows of a national report.
    scale = 10**digits
    quotient, remainder = divmod(abs(part) * 100 * scale, abs(whole))
    quotient += 2 * remainder >= abs(whole)
    return (-quotient if (part < 0) != (whole < 0) else quotient) / scale


def number(value, digits: int = 0, *, english: bool = False) -> str:
    """23450 -> "23.450"; 1234.5 with digits=1 -> "1.234,5"; None -> "–".
    english=True (the English interface's pages only): "23,450", "1,234.5"."""
    if value is None:
        return "–"
    amount = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = f"{abs(amount):,.{digits}f}"
    if not english:
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"-{text}" if amount < 0 else text


def percent(value, digits: int = 1, *, english: bool = False) -> str:
    """9.3 -> "9,3%" ("9.3%" in English); None -> "–"."""
    if value is None:
        return "–"
    return f"{number(value, digits, english=english)}%"


def signed(value, digits: int = 0, *, english: bool = False) -> str:
    """A change with its sign: "+66", "-3", "0"."""
    if value is None:
        return "–"
    text = number(value, digits, english=english)
    return f"+{text}" if value > 0 else text


def signed_percent(value, digits: int = 1, *, english: bool = False) -> str:
    if value is None:
        return "–"
    return f"{signed(value, digits, english=english)}%"


def day(value) -> str:
    """date(2023, 12, 20) or "2023-12-20" -> "20/12/2023"; None -> "–"."""
    if value is None:
        return "–"
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return dateformat.format(value, "d/m/Y")
