"""Number fields of the admin forms that read ASCII digits only.

Django's IntegerField and DecimalField read through int() and Decimal(), which
take "٣" or "１２" as 3 and 12: a number nobody typed on a Vietnamese keyboard
becomes a figure. These refuse any digit outside 0–9 with a Vietnamese reason.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

OTHER_SCRIPT_DIGITS = _("“%(value)s” phải là số chỉ gồm chữ số 0–9.")


def refuse_other_script_digits(value) -> None:
    if isinstance(value, str) and any(unicodedata.category(char) == "Nd" and not "0" <= char <= "9" for char in value):
        raise ValidationError(OTHER_SCRIPT_DIGITS, code="invalid", params={"value": value})


class AsciiIntegerField(forms.IntegerField):
    def to_python(self, value):
        refuse_other_script_digits(value)
        return super().to_python(value)


class AsciiDecimalField(forms.DecimalField):
    def to_python(self, value):
        refuse_other_script_digits(value)
        return super().to_python(value)
