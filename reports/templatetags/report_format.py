"""Vietnamese figures in templates: {{ n|vn_number }} -> 23.450, {{ pct|vn_percent }} -> 64,5%."""

from django import template

from reports.presentation import formatting

register = template.Library()


@register.filter
def vn_number(value, digits=0):
    return formatting.number(value, int(digits))


@register.filter
def vn_percent(value):
    return formatting.percent(value)


@register.filter
def vn_signed(value):
    return formatting.signed(value)


@register.filter
def vn_signed_percent(value):
    return formatting.signed_percent(value)


@register.filter
def trend(value):
    """A CSS class for a change: up, down or same."""
    if value is None or value == 0:
        return "same"
    return "up" if value > 0 else "down"
