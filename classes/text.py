"""What typed or imported text may hold, decided in one place for models, forms and imports.

Text pasted from Word or PDF brings line breaks of every kind (Shift+Enter is
\\x0b) and stray control characters. Line breaks become a space in single-line
fields and a plain newline in notes; any other control character is refused
with a message, because XML (.xlsx, .docx) cannot hold it and PostgreSQL cannot
store NUL. Class codes are also compared as people read them: without
invisible characters, surrounding spaces or letter case.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

_LINE_BREAK = r"\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]"
_BREAKS_AND_SPACES = re.compile(rf"[ \t]*(?:{_LINE_BREAK})(?:[ \t]*(?:{_LINE_BREAK}))*[ \t]*")
_LINE_BREAKS = re.compile(_LINE_BREAK)
# C0 except tab and newline, DEL, C1, lone surrogates, and the two non-characters XML refuses.
_REFUSED = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_REFUSED_IN_NOTES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")
# What XML 1.0 cannot hold, for text already stored before these rules.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def single_line(value: str) -> str:
    """Each run of line breaks (with the spaces around it) becomes one space; NFC; trimmed."""
    return unicodedata.normalize("NFC", _BREAKS_AND_SPACES.sub(" ", value)).strip()


def multi_line(value: str) -> str:
    """Every kind of line break becomes \\n; NFC."""
    return unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", value))


def code(value: str) -> str:
    """A code as people read it: 'ab-01', ' AB-01' and 'AB\u200b-01' are all 'AB-01'."""
    return _INVISIBLE.sub("", single_line(value)).strip().upper()


def refused_character(value: str, multi_line_field: bool = False, field=None) -> str | None:
    """Why this (already normalised) text is refused, naming the field if given; None if it is fine."""
    match = (_REFUSED_IN_NOTES if multi_line_field else _REFUSED).search(value)
    if match is None:
        return None
    params = {"field": field, "code": ord(match.group()), "position": match.start() + 1}
    if field is None:
        return (
            _(
                "Có ký tự điều khiển không in được (U+%(code)04X) ở vị trí thứ %(position)s; "
                "hãy xóa ký tự đó (thường do dán từ Word hay PDF) rồi nhập lại."
            )
            % params
        )
    return (
        _(
            "%(field)s có ký tự điều khiển không in được (U+%(code)04X) ở vị trí thứ %(position)s; "
            "hãy xóa ký tự đó (thường do dán từ Word hay PDF) rồi nhập lại."
        )
        % params
    )


def for_export(value):
    """Stored text as an .xlsx or .docx can hold it: form feeds and vertical tabs
    become spaces, other characters XML refuses are dropped. Other values pass."""
    if not isinstance(value, str):
        return value
    return _NOT_XML.sub("", value.replace("\x0b", " ").replace("\x0c", " "))


def clean_model_text(instance, exclude=None) -> dict[str, list[ValidationError]]:
    """Normalise the instance's text fields in place and return the refusals by field.

    CharFields are single-line, TextFields keep their line breaks, fields named in
    the model's `code_fields` are codes. Choice fields hold fixed values and pass.
    """
    errors = {}
    codes = getattr(instance, "code_fields", ())
    for field in instance._meta.concrete_fields:
        if (
            (exclude and field.name in exclude)
            or field.choices
            or not isinstance(field, (models.CharField, models.TextField))
        ):
            continue
        value = getattr(instance, field.attname)
        if not isinstance(value, str):
            continue
        notes = isinstance(field, models.TextField)
        if field.name in codes:
            value = code(value)
        else:
            value = multi_line(value) if notes else single_line(value)
        setattr(instance, field.attname, value)
        problem = refused_character(value, multi_line_field=notes, field=capfirst(field.verbose_name))
        if problem:
            errors[field.name] = [ValidationError(problem, code="control_character")]
    return errors


class CleanTextMixin:
    """Models whose text passes clean_model_text before the field checks."""

    code_fields = ()

    def clean_fields(self, exclude=None):
        errors = clean_model_text(self, exclude)
        try:
            super().clean_fields(exclude=[*(exclude or ()), *errors])
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def error_text(error) -> str:
    """The messages of a ValidationError (or the text of any other error) as one line for a page or a file."""
    return " ".join(error.messages if isinstance(error, ValidationError) else [str(error)])
