"""No lost edits: optimistic locking on the `version` field of classes, commendations and plans.

An edit form carries the version the row had when the form was loaded (a hidden
field, required on every change). services.class_save / commendation_save / plan_save refuse the save when the row has
moved on since, naming who changed it, when, and what they changed (from the
history rows), instead of silently overwriting their work. The bump itself is a
conditional UPDATE, so two saves racing past the check cannot both win.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from classes.form_fields import AsciiIntegerField
from classes.text import error_text


class EditConflict(ValidationError):
    """Someone else saved the row after this user loaded it."""


def check_version(current, expected_version: int | None) -> None:
    """Raise EditConflict unless `current` (the row as stored now) is still at `expected_version`.

    None means the caller edits without a loaded form (imports, scripts): no check.
    """
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(conflict_message(current, expected_version))


def claim_version(current) -> int:
    """Move the stored version one step on, only if nobody else did since `current` was read."""
    model = type(current)
    claimed = model.objects.filter(pk=current.pk, version=current.version).update(version=F("version") + 1)
    if not claimed:
        stored = model.objects.get(pk=current.pk)
        raise EditConflict(conflict_message(stored, current.version))
    return current.version + 1


def conflict_message(current, expected_version: int) -> str:
    who, when, changes = _changes_since(current, expected_version)
    text = _(
        "%(thing)s «%(name)s» vừa được %(who)s sửa lúc %(when)s trong khi bạn đang sửa, nên bản của bạn chưa được lưu."
    ) % {"thing": current._meta.verbose_name.capitalize(), "name": _label(current), "who": who, "when": when}
    if changes:
        text += " " + _("Họ đã sửa: %(changes)s.") % {"changes": "; ".join(changes)}
    return text + " " + _("Hãy tải lại trang để xem số liệu mới rồi nhập lại phần sửa của bạn.")


def _label(row) -> str:
    return getattr(row, "code", None) or getattr(row, "recipient", None) or str(row.pk)


def _changes_since(current, expected_version: int):
    """Who saved the row after `expected_version`, when, and the fields they changed.

    Each save through the services adds one history row and one version, so the
    rows after the expected version are the newest (current - expected) ones.
    """
    steps = current.version - expected_version
    records = list(current.history.order_by("-history_date", "-history_id")[: max(steps, 0) + 1])
    newer, baseline = records[: max(steps, 1)], records[steps] if 0 < steps < len(records) else None
    authors = []
    for record in newer:
        user = record.history_user
        name = (user.get_full_name() or user.get_username()) if user is not None else _("người khác")
        if name not in authors:
            authors.append(name)
    who = ", ".join(authors) or _("người khác")
    latest = newer[0].history_date if newer else getattr(current, "updated_at", None)
    when = date_format(timezone.localtime(latest), "SHORT_DATETIME_FORMAT") if latest else _("vừa rồi")
    changes = []
    if baseline is not None:
        for change in newer[0].diff_against(baseline).changes:
            field = current._meta.get_field(change.field)
            changes.append(
                _("%(field)s: %(old)s → %(new)s")
                % {"field": field.verbose_name, "old": _shown(field, change.old), "new": _shown(field, change.new)}
            )
    return who, when, changes


def _shown(field, value) -> str:
    if value in (None, ""):
        return _("(trống)")
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateField):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, int) and not isinstance(value, bool):
        return number_format(value, force_grouping=True)
    return str(value)


# --- admin ----------------------------------------------------------------------------------


class VersionedFormMixin(forms.Form):
    """The hidden version field of an edit form, and the early check while validating."""

    expected_version = AsciiIntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if self.instance.pk and expected is None:
            # Without the version the edit could overwrite a newer save unseen.
            raise ValidationError(
                _(
                    "Thiếu phiên bản của bản đang sửa nên chưa lưu được: hãy tải lại trang rồi nhập lại phần sửa của bạn."
                ),
                code="missing_version",
            )
        if self.instance.pk:
            rows = type(self.instance).objects.filter(pk=self.instance.pk)
            if transaction.get_connection().in_atomic_block:
                # The admin's change view is one transaction: hold the row until
                # this save is done, so a concurrent save waits and then sees it.
                rows = rows.select_for_update()
            current = rows.first()
            if current is not None:
                try:
                    check_version(current, expected)
                except EditConflict as conflict:
                    raise ValidationError(conflict.messages) from None
        return cleaned


class _HiddenIdWithVersion(forms.HiddenInput):
    """The list's hidden row id, followed by the row's hidden version field.

    Django's change list renders only the id of each editable row's hidden fields.
    """

    def __init__(self, version_field, attrs=None):
        super().__init__(attrs)
        self.version_field = version_field

    def render(self, name, value, attrs=None, renderer=None):
        return format_html("{}{}", super().render(name, value, attrs, renderer), str(self.version_field))


class VersionedAdminMixin:
    """Change form and editable list carry the version; a lost race becomes a message."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and self.has_change_permission(request, obj):
            fieldsets.append((None, {"fields": ["expected_version"], "classes": ["hidden"]}))
        return fieldsets

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, **kwargs)

        class VersionedFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                if form.instance.pk and "expected_version" in form.fields:
                    form.fields["id"].widget = _HiddenIdWithVersion(form["expected_version"])

        return VersionedFormSet

    @staticmethod
    def loaded_version(form, change):
        """What save_model passes to the service: the version the form was loaded at."""
        return form.cleaned_data.get("expected_version") if change else None

    def _refuse_conflict(self, request, conflict):
        # The view's transaction has rolled back: nothing of this save was written.
        self.message_user(request, error_text(conflict), messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as conflict:
            return self._refuse_conflict(request, conflict)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except EditConflict as conflict:
            return self._refuse_conflict(request, conflict)
