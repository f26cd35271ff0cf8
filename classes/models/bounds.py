"""Bounds of every count, year and date: one place for forms, model checks, imports and the database."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format, number_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from hatinh_training.params import FIRST_YEAR, LAST_YEAR

# No class, plan or survey counts more people than this. On SQLite an integer column
# takes 2**63-1, after which every sum of that year overflows.
MAX_COUNT = 100_000


FIRST_DAY, LAST_DAY = datetime.date(FIRST_YEAR, 1, 1), datetime.date(LAST_YEAR, 12, 31)


@deconstructible
class CountCeiling:
    def __call__(self, value):
        if value is not None and value > MAX_COUNT:
            raise ValidationError(
                _("Số %(value)s quá lớn: không được lớn hơn %(limit)s."),
                code="max_value",
                params={
                    "value": number_format(value, force_grouping=True),
                    "limit": number_format(MAX_COUNT, force_grouping=True),
                },
            )

    def __eq__(self, other):
        return isinstance(other, CountCeiling)


@deconstructible
class YearBounds:
    def __call__(self, value):
        if value is not None and not FIRST_YEAR <= value <= LAST_YEAR:
            raise ValidationError(
                _("Năm %(value)s không hợp lệ: phải trong khoảng %(first)s–%(last)s."),
                code="year_range",
                params={"value": value, "first": FIRST_YEAR, "last": LAST_YEAR},
            )

    def __eq__(self, other):
        return isinstance(other, YearBounds)


@deconstructible
class DateBounds:
    def __call__(self, value):
        if value is not None and not FIRST_DAY <= value <= LAST_DAY:
            raise ValidationError(
                _("Ngày %(value)s không hợp lệ: năm phải trong khoảng %(first)s–%(last)s."),
                code="date_range",
                params={"value": date_format(value, "SHORT_DATE_FORMAT"), "first": FIRST_YEAR, "last": LAST_YEAR},
            )

    def __eq__(self, other):
        return isinstance(other, DateBounds)


COUNT = [CountCeiling()]


YEAR = [YearBounds()]


DATE = [DateBounds()]


# Grouped by hand: the migration's copy of the message must not depend on the active locale.
_counts_message = lazy(
    lambda: _("Các số lượng không được lớn hơn %(limit)s.") % {"limit": f"{MAX_COUNT:,}".replace(",", ".")}, str
)


_years_message = lazy(
    lambda: _("Năm phải trong khoảng %(first)s–%(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}, str
)


_dates_message = lazy(
    lambda: _("Ngày phải thuộc các năm %(first)s–%(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}, str
)


def counts_within_ceiling(*names, name):
    condition = Q()
    for field in names:
        condition &= Q(**{f"{field}__lte": MAX_COUNT})
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=_counts_message())


def years_within_bounds(field, *, name):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": FIRST_YEAR, f"{field}__lte": LAST_YEAR}),
        name=name,
        violation_error_message=_years_message(),
    )


def dates_within_bounds(field, *, name, nullable=False):
    condition = Q(**{f"{field}__gte": FIRST_DAY, f"{field}__lte": LAST_DAY})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(
        condition=condition,
        name=name,
        violation_error_message=_dates_message(),
    )
