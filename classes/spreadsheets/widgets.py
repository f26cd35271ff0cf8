"""Cell readers for the import files, each failing with a Vietnamese reason.

django-import-export's own widgets read `1.234` as 1 under Vietnamese
formats and show `decimal.ConversionSyntax` for a bad number (docs/findings.md);
these replace them. Every `render` returns the native value (int, date, code)
so that each file format decides how to write it.
"""

import datetime
import re
from decimal import Decimal

from django.utils import dateformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from import_export.widgets import Widget

from classes import text as text_rules
from classes.models.bounds import FIRST_YEAR, LAST_YEAR
from classes.spreadsheets.files import fold

# ASCII digits only: int() also reads ٣ and １２, which no office means as figures.
_GROUPED = re.compile(r"^[+-]?\d{1,3}([.\u00a0 ]\d{3})+$", re.ASCII)
_PLAIN = re.compile(r"^[+-]?\d+$", re.ASCII)
# A trailing midnight comes with dates some programs write as date-times.
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: 0?0:00(?::00)?)?$", re.ASCII)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$", re.ASCII)
_INT_MAX = 2_147_483_647  # PositiveIntegerField on PostgreSQL


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _refuse_foreign_digits(text: str) -> None:
    if any(ch.isdigit() and not ch.isascii() for ch in text):
        raise ValueError(
            _(
                "“%(value)s” có chữ số không phải 0–9 (chữ số của bảng chữ khác hoặc chữ số toàn khổ); hãy gõ lại bằng chữ số 0–9."
            )
            % {"value": text}
        )


class CountWidget(Widget):
    """Whole numbers >= 0: 1234, 1.234 (Vietnamese thousands), 1 234, or a numeric cell."""

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(_("“%(value)s” không phải số.") % {"value": value})
        if isinstance(value, (float, Decimal)):
            if value != value or not float(value).is_integer():
                raise ValueError(_("“%(value)s” không phải số nguyên.") % {"value": str(value).replace(".", ",")})
            number = int(value)
        elif isinstance(value, int):
            number = value
        else:
            text = str(value).strip()
            if len(text) > 15:
                raise ValueError(_("“%(value)s” quá dài, không phải số hợp lệ.") % {"value": text[:20]})
            _refuse_foreign_digits(text)
            if _GROUPED.match(text):
                number = int(re.sub(r"[.\u00a0 ]", "", text))
            elif _PLAIN.match(text):
                number = int(text)
            else:
                raise ValueError(_("“%(value)s” không phải số nguyên (viết 1234 hoặc 1.234).") % {"value": text})
        if number < 0:
            raise ValueError(_("Số âm (%(value)s) không hợp lệ; phải từ 0 trở lên.") % {"value": number})
        if number > _INT_MAX:
            raise ValueError(_("Số %(value)s quá lớn.") % {"value": number})
        return number

    def render(self, value, obj=None, **kwargs):
        return value


class YearWidget(CountWidget):
    def clean(self, value, row=None, **kwargs):
        year = super().clean(value, row, **kwargs)
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(_("Năm %(value)s không hợp lệ.") % {"value": year})
        return year


class DateWidget(Widget):
    """dd/mm/yyyy text (also d/m/yyyy, dd-mm-yyyy, yyyy-mm-dd) or an Excel date cell."""

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        if isinstance(value, datetime.datetime):
            day = value.date()
        elif isinstance(value, datetime.date):
            day = value
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and 20_000 < value < 80_000:
            # A date cell formatted as a number: days since Excel's 1899-12-30.
            day = datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))
        else:
            text = str(value).strip()
            _refuse_foreign_digits(text)
            match = _DAY_FIRST.match(text)
            parts = None
            if match:
                parts = int(match[3]), int(match[2]), int(match[1])
            elif match := _ISO.match(text):
                parts = int(match[1]), int(match[2]), int(match[3])
            if parts is None:
                raise ValueError(_("“%(value)s” không phải ngày dạng dd/mm/yyyy.") % {"value": text})
            try:
                day = datetime.date(*parts)
            except ValueError:
                raise ValueError(_("Ngày “%(value)s” không có trên lịch.") % {"value": text}) from None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError(
                _("Ngày %(value)s có năm không hợp lệ.") % {"value": date_format(day, "SHORT_DATE_FORMAT")}
            )
        return day

    def render(self, value, obj=None, **kwargs):
        return value


class TextWidget(Widget):
    """Text as the cell holds it, normalised and checked by the rules of classes/text.py:
    kind "line" (names, numbers), "lines" (notes) or "code"."""

    def __init__(self, max_length=None, kind="line", **kwargs):
        self.max_length = max_length
        self.kind = kind
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, datetime.date):
            value = dateformat.format(value, "d/m/Y")  # as the cell showed it
        value = str(value)
        if self.kind == "code":
            text = text_rules.code(value)
        elif self.kind == "lines":
            text = text_rules.multi_line(value).strip()
        else:
            text = text_rules.single_line(value)
        problem = text_rules.refused_character(text, multi_line_field=self.kind == "lines")
        if problem:
            raise ValueError(problem)
        if self.max_length and len(text) > self.max_length:
            raise ValueError(
                _("Dài %(length)s ký tự, quá giới hạn %(max)s.") % {"length": len(text), "max": self.max_length}
            )
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class ChoiceWidget(Widget):
    """A choice by its label ('Tại cơ sở') or its stored value ('tai_co_so')."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        self.labels = dict(choices.choices)
        self.by_key = {}
        for value, label in choices.choices:
            self.by_key[fold(label)] = value
            self.by_key[fold(value)] = value
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        found = self.by_key.get(fold(value))
        if found is None:
            raise ValueError(
                _("“%(value)s” không có trong danh sách: %(choices)s.")
                % {"value": value, "choices": ", ".join(str(label) for label in self.labels.values())}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return str(self.labels.get(value, value or ""))


_UNIT_PREFIXES = ("huyen ", "thi xa ", "thanh pho ", "xa ", "phuong ", "thi tran ", "tinh ")


class CodeOrNameWidget(Widget):
    """A reference row named by its code or its name, looked up in memory.

    The resource hands it the rows the user may use (through the selectors) and,
    for a clearer message, every row: a value found only in the second is
    "outside your unit" rather than "unknown". A name that fits several rows
    ("Can Lộc": Huyện Can Lộc and Xã Can Lộc) is the one in force on the row's
    date (`date_column`) or in its year (`year_column`), when exactly one is.
    """

    def __init__(self, noun, date_column=None, year_column=None, **kwargs):
        self.noun = noun
        self.date_column = date_column
        self.year_column = year_column
        self._allowed = {}
        self._everything = {}
        super().__init__(**kwargs)

    @staticmethod
    def _keys(row):
        keys = {row.code.strip().lower(), fold(row.name)}
        for prefix in _UNIT_PREFIXES:
            if fold(row.name).startswith(prefix):
                keys.add(fold(row.name)[len(prefix) :])
        return keys

    @classmethod
    def _index(cls, rows):
        """Each key to the rows it names."""
        index = {}
        for row in rows:
            for key in cls._keys(row):
                if key and row not in index.setdefault(key, []):
                    index[key].append(row)
        # A code always wins over a name that happens to read the same.
        for row in rows:
            index[row.code.strip().lower()] = [row]
        return index

    def load(self, allowed, everything):
        allowed, everything = list(allowed), list(everything)
        self._allowed = self._index(allowed)
        self._everything = self._index(everything)
        self.allowed_ids = {row.pk for row in allowed}
        self.by_pk = {row.pk: row for row in everything}

    def _find(self, index, text):
        return index.get(text.lower()) or index.get(fold(text)) or []

    def _in_force(self, found, row):
        """The one of several rows in force on the row's date or in its year, or None."""
        if not row or not all(hasattr(candidate, "is_valid_on") for candidate in found):
            return None
        try:
            day = DateWidget().clean(row.get(self.date_column)) if self.date_column else None
            year = YearWidget().clean(row.get(self.year_column)) if self.year_column else None
        except ValueError:
            return None  # the date's own column says what is wrong with it
        if day is not None:
            in_force = [candidate for candidate in found if candidate.is_valid_on(day)]
        elif year is not None:
            in_force = [candidate for candidate in found if candidate.is_valid_in(year)]
        else:
            return None
        return in_force[0] if len(in_force) == 1 else None

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        text = str(value).strip()
        found = self._find(self._allowed, text)
        if len(found) > 1:
            chosen = self._in_force(found, row)
            if chosen is None:
                raise ValueError(
                    _("Tên “%(value)s” khớp nhiều %(noun)s; hãy ghi mã.") % {"value": text, "noun": self.noun}
                )
            return chosen
        if not found:
            if self._find(self._everything, text):
                raise ValueError(
                    _("%(noun)s “%(value)s” không thuộc phạm vi của bạn: bạn chỉ được nhập số liệu của đơn vị mình.")
                    % {"noun": self.noun.capitalize(), "value": text}
                )
            raise ValueError(_("Không có %(noun)s “%(value)s”.") % {"noun": self.noun, "value": text})
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return value.code if value is not None else ""
