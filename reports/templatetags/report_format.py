"""Figures in templates: {{ n|vn_number }} -> 23.450, {{ pct|vn_percent }} -> 64,5%; the English
interface's pages write 23,450 and 64.5% (the Word report stays Vietnamese: it formats itself)."""

from django import template
from django.utils import translation

from reports.presentation import formatting

register = template.Library()


def _english() -> bool:
    return not (translation.get_language() or "vi").startswith("vi")


@register.filter
def vn_number(value, digits=0):
    return formatting.number(value, int(digits), english=_english())


@register.filter
def vn_percent(value):
    return formatting.percent(value, english=_english())


@register.filter
def vn_signed(value):
    return formatting.signed(value, english=_english())


@register.filter
def vn_signed_percent(value):
    return formatting.signed_percent(value, english=_english())


@register.filter
def trend(value):
    """A CSS class for a change: up, down or same."""
    if value is None or value == 0:
        return "same"
    return "up" if value > 0 else "down"
