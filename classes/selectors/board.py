"""The board's name in force on a day (headers, report titles, new commendations)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_noop

from classes.models import BoardName

# The names the board has had, for the English catalogue: a name shown on a page passes
# through gettext, so an English page names the board in English.
KNOWN_NAMES = (
    gettext_noop("Ban Tuyên giáo Tỉnh ủy Hà Tĩnh"),
    gettext_noop("Ban Tuyên giáo và Dân vận Tỉnh ủy Hà Tĩnh"),
)

# Before any row applies (or on a database without the rows): the board's name until 2025.
FALLBACK = ("Ban Tuyên giáo Tỉnh ủy Hà Tĩnh", "BTGTU")


def board_name_on(day: datetime.date | None = None) -> tuple[str, str]:
    """(name, short symbol) of the board in force on `day` (today when omitted)."""
    day = day or timezone.localdate()
    row = BoardName.objects.filter(valid_from__lte=day).order_by("-valid_from").values_list("name", "short_symbol")
    return row.first() or FALLBACK
