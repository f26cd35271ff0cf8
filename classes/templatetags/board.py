from django import template

from classes.selectors import board_name_on

register = template.Library()


@register.simple_tag
def board_name(day=None):
    """The board's name in force on `day` (today when omitted)."""
    return board_name_on(day)[0]
