"""What every screen shares: the scoped admin, the year and unit filters, and the base that routes
saves and deletes of unit-year rows to the services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from classes import access, selectors
from classes.form_fields import AsciiDecimalField, AsciiIntegerField
from classes.models import (
    AdministrativeUnit,
    TrainingCentre,
)
from classes.text import error_text
from hatinh_training.params import bad_date_parts, whole_number


def _site_header():
    from classes.selectors import board_name_on

    return f"{gettext(board_name_on()[0])} — {_('Quản lý giáo dục lý luận chính trị')}"


# Read at each page: the board's name in force today.
admin.site.site_header = lazy(_site_header, str)()


admin.site.site_title = _("Quản lý giáo dục lý luận chính trị")


admin.site.index_title = _("Nhập và quản lý số liệu")


class AsciiNumbersMixin:
    """Number fields read digits 0–9 only (see form_fields)."""

    formfield_overrides = {
        models.IntegerField: {"form_class": AsciiIntegerField},
        models.BigIntegerField: {"form_class": AsciiIntegerField},
        models.DecimalField: {"form_class": AsciiDecimalField},
    }


class PlainInputMixin(AsciiNumbersMixin):
    """Also: an action's selection names rows by whole numbers only; Django would
    filter by anything posted and fail with a server error when the action reads it."""

    def changelist_view(self, request, extra_context=None):
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME) if request.method == "POST" else []
        if any(whole_number(pk) is None for pk in selected):
            self.message_user(request, _("Không thực hiện thao tác: có mục được chọn không hợp lệ."), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().changelist_view(request, extra_context)


@admin.action(permissions=["delete"])
def delete_selected_whole(modeladmin, request, queryset):
    """Django's bulk delete, all or nothing: refused as a whole (with the reason) when
    any selected row may not be deleted, and a refusal met during the deletion (a lock
    set after the confirmation page) rolls back every row and the admin log."""
    try:
        modeladmin.check_deletable(request, queryset)
        with transaction.atomic():
            return delete_selected(modeladmin, request, queryset)
    except (PermissionDenied, ValidationError) as error:
        modeladmin.message_user(request, error_text(error), messages.ERROR)
        return None


class ScopedAdminMixin(PlainInputMixin):
    """Every list, change page and foreign-key choice goes through the selectors.

    A row outside the user's scope answers 404 on every per-object URL (Django's
    own answer would be a redirect naming the id); a row the user may see but
    not change (a locked year) answers its reason instead of a bare 403.
    """

    scope_selector = None  # a function of the user returning the visible rows

    def changelist_view(self, request, extra_context=None):
        if bad_date_parts(request.GET):
            # Django's answer to a filter it cannot read: the list with "?e=1".
            return HttpResponseRedirect(f"{request.path}?e=1")
        return super().changelist_view(request, extra_context)

    def get_queryset(self, request):
        return type(self).scope_selector(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if related is AdministrativeUnit:
            kwargs["queryset"] = access.units_visible_to(request.user)
        elif related is TrainingCentre:
            kwargs["queryset"] = access.centres_visible_to(request.user)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if (
            field is not None
            and related in (AdministrativeUnit, TrainingCentre)
            and access.user_is_district(request.user)
        ):
            field.error_messages["invalid_choice"] = _(
                "Bạn chỉ được chọn đơn vị và trung tâm thuộc đơn vị mình (%(unit)s)."
            ) % {
                "unit": request.user.unit.name,
            }
            if related is AdministrativeUnit:
                field.initial = request.user.unit_id
        return field

    def visible_object_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(_("Không tìm thấy mục này trong phạm vi đơn vị của bạn."))
        return obj

    def lock_refusal(self, request, obj):
        """Why this visible row may not be written now (a locked year), or None."""
        return None

    def check_deletable(self, request, queryset):
        """Raise, with the reasons, unless every selected row may be deleted."""
        refusals = sorted({refusal for obj in queryset if (refusal := self.lock_refusal(request, obj))})
        if refusals:
            raise ValidationError(_("Không xóa mục nào. %(refusals)s") % {"refusals": " ".join(refusals)})

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            actions["delete_selected"] = (delete_selected_whole, *actions["delete_selected"][1:])
        return actions

    def _refuse(self, request, obj, refusal):
        self.message_user(request, refusal, messages.ERROR)
        return HttpResponseRedirect(
            reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.visible_object_or_404(request, object_id)
        refusal = self.lock_refusal(request, obj)
        if refusal and request.method == "POST":
            return self._refuse(request, obj, refusal)
        if refusal:
            self.message_user(request, refusal, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.visible_object_or_404(request, object_id)
        refusal = self.lock_refusal(request, obj)
        if refusal:
            return self._refuse(request, obj, refusal)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self.visible_object_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)


class ScopedHistoryAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """django-simple-history's pages, scoped: its own lookups ignore get_queryset,
    and its revert form saves without asking for change permission."""

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        records = super().get_history_queryset(request, history_manager, pk_name, object_id)
        return records.filter(pk__in=access.history_visible_to(request.user, self.model).values("pk"))

    def history_view(self, request, object_id, extra_context=None):
        # Unlike the other per-object pages, the history of a deleted row stays
        # reachable; its versions are scoped by get_history_queryset.
        if self.get_object(request, unquote(object_id)) is None and self._exists(unquote(object_id)):
            raise Http404(_("Không tìm thấy mục này trong phạm vi đơn vị của bạn."))
        return SimpleHistoryAdmin.history_view(self, request, object_id, extra_context)

    def _exists(self, pk):
        try:
            return self.model._default_manager.filter(pk=pk).exists()
        except (ValueError, ValidationError):
            return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self.visible_object_or_404(request, object_id)
        try:
            version_visible = (
                access.history_visible_to(request.user, self.model)
                .filter(**{self.model._meta.pk.attname: obj.pk, "history_id": version_id})
                .exists()
            )
        except (ValueError, ValidationError):
            version_visible = False
        if not version_visible:
            raise Http404(_("Không tìm thấy phiên bản này trong phạm vi đơn vị của bạn."))
        if request.method == "POST":
            refusal = self.lock_refusal(request, obj)
            if refusal is None and not self.has_change_permission(request, obj):
                refusal = _("Bạn chỉ được xem, không được khôi phục phiên bản này.")
            if refusal:
                return self._refuse(request, obj, refusal)
            try:
                return super().history_form_view(request, object_id, version_id, extra_context)
            except (PermissionDenied, ValidationError) as error:
                # The service refused the old version (its year is locked): nothing was written.
                return self._refuse(request, obj, error_text(error))
        return super().history_form_view(request, object_id, version_id, extra_context)


def year_column(name="year", description=None):
    """A year as 2026: the admin would print an integer field grouped, as 2.026."""

    @admin.display(description=description or _("năm"), ordering=name)
    def column(obj):
        value = getattr(obj, name)
        return "" if value is None else str(value)

    column.__name__ = f"{name}_column"
    return column


def years_offered(request, model_admin) -> list[int]:
    """selectors.years_with_data of the rows this user sees, asked once per request
    (the filter and the drill-down share it)."""
    cache = request.__dict__.setdefault("_years_offered", {})
    if model_admin.model not in cache:
        cache[model_admin.model] = selectors.years_with_data(model_admin.get_queryset(request))
    return cache[model_admin.model]


class YearFilter(admin.SimpleListFilter):
    """The years with rows in the user's scope, and the current one (selectors.years_with_data)."""

    title = _("năm")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [(str(year), str(year)) for year in years_offered(request, model_admin)]

    def queryset(self, request, queryset):
        year = whole_number(self.value())
        return queryset if year is None else queryset.filter(year=year)


class UnitFilter(admin.SimpleListFilter):
    title = _("đơn vị")
    parameter_name = "unit"

    def lookups(self, request, model_admin):
        return [(str(unit.pk), unit.name) for unit in access.units_visible_to(request.user)]

    def queryset(self, request, queryset):
        unit_id = whole_number(self.value())
        return queryset if unit_id is None else queryset.filter(unit_id=unit_id)


class UnitYearForm(forms.ModelForm):
    """Plans and surveys: refuses, with the reason, a unit outside the user's scope or a locked year."""

    user = None  # set per request by the admin

    def clean(self):
        cleaned = super().clean()
        unit, year = cleaned.get("unit"), cleaned.get("year")
        original = None
        if self.instance.pk:
            original = type(self.instance).objects.only("unit_id", "year").get(pk=self.instance.pk)
        if unit is not None and year is not None:
            refusal = access.write_refusal(self.user, unit, year, was=original)
        else:
            refusal = original and access.write_refusal(self.user, original.unit_id, original.year)
        if refusal:
            raise ValidationError(str(refusal))
        return cleaned


class WriteRuleAdminMixin:
    """Rows of one unit and year (and, for classes, a centre): every permission of a row asks
    access.write_refusal, once per place and request."""

    def lock_refusal(self, request, obj):
        if obj is None or not (self.has_view_permission(request, obj) and obj.year):
            return None
        refusals = request.__dict__.get("_write_refusals")
        if refusals is None or refusals.user is not request.user:
            refusals = request._write_refusals = access.write_refusals(request.user)
        return refusals[(obj.unit_id, obj.year, getattr(obj, "centre_id", None))]

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and not access.write_refusal(request.user, None, None)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self.lock_refusal(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self.lock_refusal(request, obj)


class UnitYearAdmin(WriteRuleAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Rows of one unit and year: read-only when the year is locked for the user."""

    form = UnitYearForm
    list_filter = (YearFilter, UnitFilter, "programme")
    list_select_related = ("unit", "programme", "updated_by")
    show_full_result_count = False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})
