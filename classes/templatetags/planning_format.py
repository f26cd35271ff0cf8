"""Dates the report's JSON carries as ISO text, shown as dd/mm/yyyy."""

import datetime

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def vn_date(value):
    """ "2024-01-15" or "2024-01-15T09:00:00+07:00" -> "15/01/2024"; empty -> "–"."""
    if not value:
        return "–"
    try:
        day = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return value
    return date_format(day, "SHORT_DATE_FORMAT")
