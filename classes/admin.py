import datetime
import json
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from hatinh_training.params import bad_date_parts, whole_number

from . import roles, selectors, services
from .form_fields import AsciiDecimalField, AsciiIntegerField
from .versioning import VersionedAdminMixin, VersionedFormMixin
from .admin_import import ClassImportExportMixin, CommendationImportExportMixin
from .models import AdministrativeUnit, Commendation, Programme, TrainingCentre, TrainingClass, User, YearLock
from .roles import ROLE_HELP

admin.site.site_header = _("Ban Tuyên giáo Tỉnh ủy Hà Tĩnh — Quản lý giáo dục lý luận chính trị")
admin.site.site_title = _("Quản lý giáo dục lý luận chính trị")
admin.site.index_title = _("Nhập và quản lý số liệu")


def _error_text(error) -> str:
    return " ".join(error.messages if isinstance(error, ValidationError) else [str(error)])


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
        modeladmin.message_user(request, _error_text(error), messages.ERROR)
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
            kwargs["queryset"] = selectors.units_visible_to(request.user)
        elif related is TrainingCentre:
            kwargs["queryset"] = selectors.centres_visible_to(request.user)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and related in (AdministrativeUnit, TrainingCentre) and selectors.user_is_district(request.user):
            field.error_messages["invalid_choice"] = _("Bạn chỉ được chọn đơn vị và trung tâm thuộc đơn vị mình (%(unit)s).") % {
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
        return records.filter(pk__in=selectors.history_visible_to(request.user, self.model).values("pk"))

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
            version_visible = selectors.history_visible_to(request.user, self.model).filter(
                **{self.model._meta.pk.attname: obj.pk, "history_id": version_id}
            ).exists()
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
                return self._refuse(request, obj, _error_text(error))
        return super().history_form_view(request, object_id, version_id, extra_context)


class YearFilter(admin.SimpleListFilter):
    """Fixed choices: a DISTINCT over the classes costs a scan per request (FINDINGS.md)."""

    title = _("năm")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        this_year = timezone.localdate().year
        return [(str(year), str(year)) for year in range(this_year + 1, this_year - 11, -1)]

    def queryset(self, request, queryset):
        year = whole_number(self.value())
        return queryset if year is None else queryset.filter(year=year)


class UnitFilter(admin.SimpleListFilter):
    title = _("đơn vị")
    parameter_name = "unit"

    def lookups(self, request, model_admin):
        return [(str(unit.pk), unit.name) for unit in selectors.units_visible_to(request.user)]

    def queryset(self, request, queryset):
        unit_id = whole_number(self.value())
        return queryset if unit_id is None else queryset.filter(unit_id=unit_id)


class TrainingClassForm(VersionedFormMixin, forms.ModelForm):
    """Checks rights and locks while the form is validated, so the user sees why."""

    user = None  # set per request by TrainingClassAdmin
    is_list_row = False  # a row of the class list rather than the change form

    class Meta:
        model = TrainingClass
        fields = "__all__"

    def _update_errors(self, errors):
        # The class list shows only learners and completed: a rule broken by the
        # results it does not show is told on the completed cell, not a server error.
        if hasattr(errors, "error_dict"):
            placed = {}
            for field, field_errors in errors.error_dict.items():
                if field != NON_FIELD_ERRORS and field not in self.fields:
                    field = "completed" if "completed" in self.fields else NON_FIELD_ERRORS
                placed.setdefault(field, []).extend(field_errors)
            errors = ValidationError(placed)
        super()._update_errors(errors)
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        day = self._start_date()
        if day is None:
            return
        # Offer what is in force on the start date; keep the class's own and the submitted
        # choice so that a unit no longer in force is refused with its successors named.
        for name in ("unit", "centre"):
            field = self.fields.get(name)
            if field is None:
                continue
            keep = {getattr(self.instance, f"{name}_id", None), self.data.get(self.add_prefix(name)) if self.is_bound else None}
            keep = [pk for pk in keep if pk and str(pk).isdigit()]
            field.queryset = field.queryset.filter(
                Q(pk__in=selectors.in_force_on(field.queryset.model.objects.all(), day).values("pk")) | Q(pk__in=keep)
            )

    def _start_date(self):
        if not self.is_bound:
            initial = self.initial.get("start_date")
            return initial if isinstance(initial, datetime.date) else self.instance.start_date
        field = self.fields.get("start_date")
        if field is None:
            return self.instance.start_date
        try:
            return field.clean(field.widget.value_from_datadict(self.data, self.files, self.add_prefix("start_date")))
        except ValidationError:
            return None

    def clean(self):
        cleaned = super().clean()
        if self.is_list_row and self.instance.pk and not self.has_changed():
            # The class list saves only changed rows: an untouched locked row on
            # the page must not block the edits of the other rows.
            return cleaned
        unit = cleaned.get("unit", getattr(self.instance, "unit", None) if self.instance.unit_id else None)
        start_date = cleaned.get("start_date", self.instance.start_date)
        if unit and not cleaned.get("centre") and "centre" in self.fields:
            centre = selectors.default_centre_for(unit.pk, start_date)
            if centre is None and (start_date is None or unit.is_valid_on(start_date)):
                self.add_error("centre", _("Đơn vị %(unit)s chưa có trung tâm chính trị; hãy chọn trung tâm.") % {"unit": unit.name})
            elif centre is not None:
                cleaned["centre"] = centre
        original = None
        if self.instance.pk:
            original = TrainingClass.objects.filter(pk=self.instance.pk).only("unit_id", "year").first()
        if unit is not None and start_date is not None:
            try:
                if original is not None:
                    services.unit_year_check_writable(user=self.user, unit_id=original.unit_id, year=original.year)
                services.unit_year_check_writable(user=self.user, unit_id=unit.pk, year=start_date.year)
            except (PermissionDenied, ValidationError) as error:
                raise ValidationError(error.messages if isinstance(error, ValidationError) else str(error))
        return cleaned


@admin.register(TrainingClass)
class TrainingClassAdmin(VersionedAdminMixin, ClassImportExportMixin, ScopedHistoryAdmin):
    scope_selector = staticmethod(selectors.classes_visible_to)
    form = TrainingClassForm
    list_display = (
        "code", "name", "programme", "unit", "start_date", "venue", "status", "learners", "completed",
    )
    list_display_links = ("code", "name")
    list_editable = ("learners", "completed")
    list_filter = (YearFilter, UnitFilter, "programme", "venue", "status")
    list_select_related = ("programme", "unit")
    list_per_page = 50
    search_fields = ("code", "name")
    # Django's own drill-down runs MIN/MAX and DISTINCT over every class (about 0.5 s a page
    # at 1,000,000 rows, make bench): the template draws it from fixed years and months instead.
    date_hierarchy = "start_date"
    show_full_result_count = False
    save_on_top = True
    readonly_fields = ("created_by", "created_at", "updated_by", "updated_at")
    fieldsets = (
        (None, {"fields": ("code", "name", "programme", "unit", "centre", "venue", "status")}),
        (_("Thời gian"), {"fields": ("start_date", "end_date")}),
        (_("Học viên và kết quả"), {"fields": ("learners", "completed", ("excellent", "good", "fair", "average", "failed"))}),
        (_("Khác"), {"fields": ("notes", "created_by", "created_at", "updated_by", "updated_at")}),
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in TrainingClass.COUNT_FIELDS:
            # Offices type 1.234 for one thousand two hundred and thirty-four.
            kwargs["localize"] = True
            field = super().formfield_for_dbfield(db_field, request, **kwargs)
            field.widget.attrs.update({"inputmode": "numeric", "size": 7})
            return field
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_changelist_form(self, request, **kwargs):
        form = super().get_changelist_form(request, **kwargs)
        return type(form.__name__, (form, TrainingClassForm), {"user": request.user, "is_list_row": True})

    def lock_refusal(self, request, obj):
        if obj is None or not (self.has_view_permission(request, obj) and obj.year):
            return None
        # Asked several times per page: remember the answer for this request.
        cache = request.__dict__.setdefault("_year_lock_refusals", {})
        key = (obj.unit_id, obj.year)
        if key not in cache:
            try:
                services.unit_year_check_writable(user=request.user, unit_id=obj.unit_id, year=obj.year)
                cache[key] = None
            except (PermissionDenied, ValidationError) as error:
                cache[key] = _error_text(error)
        return cache[key]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self.lock_refusal(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self.lock_refusal(request, obj)

    def check_deletable(self, request, queryset):
        services.classes_check_deletable(user=request.user, queryset=queryset)

    def save_model(self, request, obj, form, change):
        services.class_save(user=request.user, training_class=obj, expected_version=self.loaded_version(form, change))

    def delete_model(self, request, obj):
        services.class_delete(user=request.user, training_class=obj)

    def delete_queryset(self, request, queryset):
        services.classes_delete(user=request.user, queryset=queryset)

    def _list_is_narrowed(self, request, changelist) -> bool:
        """Totals only of a list narrowed to a year or a unit: over every class of every
        year they are a full scan (0.2 s at 1,000,000 rows, make bench) and mean little."""
        return selectors.user_is_district(request.user) or any(
            changelist.params.get(name)
            for name in (YearFilter.parameter_name, UnitFilter.parameter_name, "start_date__year")
        )

    @staticmethod
    def _date_drilldown(changelist) -> list[tuple[str, str, bool]]:
        """(label, link, chosen) for years, or the months of the chosen year; no query."""
        year_key, month_key, day_key = "start_date__year", "start_date__month", "start_date__day"
        year, month = changelist.params.get(year_key), changelist.params.get(month_key)
        if whole_number(year) is None:
            this_year = timezone.localdate().year
            return [
                (str(y), changelist.get_query_string({year_key: y}, [month_key, day_key]), False)
                for y in range(this_year + 1, this_year - 11, -1)
            ]
        links = [(_("‹ Mọi năm"), changelist.get_query_string(remove=[year_key, month_key, day_key]), False)]
        links += [
            (_("Tháng %(month)s/%(year)s") % {"month": m, "year": year},
             changelist.get_query_string({year_key: year, month_key: m}, [day_key]), str(m) == str(month))
            for m in range(1, 13)
        ]
        return links

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and "_save" in request.POST and self.list_editable:
            # A hidden id naming a row outside the user's scope: Django would only
            # say "correct the errors below"; say why, and save nothing.
            posted = {value for key, value in request.POST.items() if re.fullmatch(r"form-\d+-id", key)}
            try:
                found = {str(pk) for pk in self.get_queryset(request).filter(pk__in=posted).values_list("pk", flat=True)}
            except (ValueError, ValidationError):
                found = set()
            foreign = sorted(posted - found)
            if foreign:
                self.message_user(
                    request,
                    _("Không lưu gì: lớp số %(ids)s không thuộc phạm vi đơn vị của bạn.") % {"ids": ", ".join(foreign)},
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.get_full_path())
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            # Say up front which years are closed, rather than only when a save is refused.
            locks = selectors.year_locks_visible_to(request.user)[:5]
            response.context_data["year_lock_notes"] = [services.year_lock_message(lock) for lock in locks]
            # Where the unit's yearly reports stand in the cycle (sent, accepted, returned).
            unit_id = request.user.unit_id if selectors.user_is_district(request.user) else whole_number(request.GET.get("unit"))
            if unit_id is not None:
                reports = selectors.unit_reports_visible_to(request.user).filter(unit_id=unit_id).order_by("-year")[:3]
                response.context_data["cycle_notes"] = [report.describe() for report in reports]
        if changelist is not None:
            response.context_data["date_drilldown"] = self._date_drilldown(changelist)
        if changelist is not None and self._list_is_narrowed(request, changelist):
            response.context_data["totals"] = changelist.queryset.order_by().aggregate(
                classes=Count("*"), learners=Sum("learners"), completed=Sum("completed")
            )
        return response


class CommendationForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Commendation
        fields = "__all__"


@admin.register(Commendation)
class CommendationAdmin(VersionedAdminMixin, CommendationImportExportMixin, ScopedHistoryAdmin):
    scope_selector = staticmethod(selectors.commendations_visible_to)
    form = CommendationForm
    list_display = ("year", "form", "recipient_kind", "recipient", "unit", "decision_number", "decision_date", "issuer")
    list_filter = ("year", "form", "recipient_kind", UnitFilter)
    search_fields = ("recipient", "decision_number", "achievement")
    date_hierarchy = "decision_date"
    list_select_related = ("unit",)

    def save_model(self, request, obj, form, change):
        services.commendation_save(user=request.user, commendation=obj, expected_version=self.loaded_version(form, change))

    def delete_model(self, request, obj):
        services.commendation_delete(user=request.user, commendation=obj)

    def delete_queryset(self, request, queryset):
        for commendation in queryset:
            services.commendation_delete(user=request.user, commendation=commendation)


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_selector = staticmethod(selectors.units_visible_to)
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(TrainingCentre)
class TrainingCentreAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_selector = staticmethod(selectors.centres_visible_to)
    list_display = ("code", "name", "unit", "kind", "meets_standard", "standard_since_year")
    list_filter = ("kind", "meets_standard")
    search_fields = ("code", "name")


@admin.register(Programme)
class ProgrammeAdmin(PlainInputMixin, admin.ModelAdmin):
    list_display = ("code", "name", "level", "typical_days", "sort_order")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(YearLock)
class YearLockAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_selector = staticmethod(selectors.year_locks_visible_to)
    list_display = ("year", "unit", "locked_by", "locked_at", "reason")
    list_filter = ("year",)
    readonly_fields = ("locked_by", "locked_at")

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        lock = services.year_lock(user=request.user, year=obj.year, unit=obj.unit, reason=obj.reason)
        obj.pk, obj.locked_by, obj.locked_at = lock.pk, lock.locked_by, lock.locked_at
        messages.info(request, services.year_lock_message(lock))

    def delete_model(self, request, obj):
        services.year_unlock(user=request.user, lock=obj)

    def delete_queryset(self, request, queryset):
        for lock in queryset:
            services.year_unlock(user=request.user, lock=lock)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """The role decides the group and the scope: no group, permission or
    superuser boxes here, and the group follows the role on every save.
    Which accounts a user may list, edit, reset or delete, and which roles they
    may give, is decided by roles.user_may_manage alone."""

    list_display = ("username", "get_full_name", "role", "unit", "is_active", "last_login")
    list_filter = ("role", "unit", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("first_name", "last_name", "email")}),
        (_("Vai trò"), {"fields": ("role", "unit", "centre", "is_active"), "description": ROLE_HELP}),
        (_("Ngày quan trọng"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + ((_("Vai trò"), {"fields": ("role", "unit", "centre")}),)
    readonly_fields = ("last_login", "date_joined")

    def changelist_view(self, request, extra_context=None):
        # A bulk action naming an account the user may not manage is refused whole,
        # not run quietly on the rest.
        if request.method == "POST" and request.POST.get("action"):
            selected = {value for value in request.POST.getlist(ACTION_CHECKBOX_NAME) if value.isascii() and value.isdigit()}
            if len(selected) != self.get_queryset(request).filter(pk__in=selected).count():
                raise PermissionDenied
        return super().changelist_view(request, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        if request.method == "POST" and not roles.user_may_manage(request.user, None, request.POST.get("role")):
            raise PermissionDenied
        return super().add_view(request, form_url, extra_context)

    def _manageable_or_404(self, request, object_id):
        # Django's own answer to a row outside get_queryset is a redirect naming the id;
        # a user without any right on accounts keeps Django's 403.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        target = self.get_object(request, unquote(object_id))
        if target is None:
            raise Http404(_("Không tìm thấy tài khoản này trong phạm vi bạn được quản lý."))
        return target

    def change_view(self, request, object_id, form_url="", extra_context=None):
        target = self._manageable_or_404(request, object_id)
        # Asked before the form, so a role outside the user's reach is a 403, not a form error.
        if request.method == "POST" and not roles.user_may_manage(request.user, target, request.POST.get("role", target.role)):
            raise PermissionDenied
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._manageable_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._manageable_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def get_queryset(self, request):
        # Accounts the user may not manage answer 404 on every per-object URL.
        return roles.users_manageable_by(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.pk == request.user.pk:
            shown = {name for _title, options in self.get_fieldsets(request, obj) for name in options["fields"]}
            fields = (*fields, *(name for name in roles.SELF_LOCKED_FIELDS if name in shown))
        return fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            assignable = roles.roles_assignable_by(request.user)
            kwargs["choices"] = [(value, label) for value, label in db_field.get_choices() if value in ("", *assignable)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or roles.user_may_manage(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or roles.user_may_manage(request.user, obj, deleting=True)
        )

    def save_model(self, request, obj, form, change):
        services.user_admin_save(actor=request.user, user=obj)

    def delete_model(self, request, obj):
        self.delete_queryset(request, User.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            if any(not roles.user_may_manage(request.user, user, deleting=True) for user in queryset):
                raise PermissionDenied(_("Bạn không có quyền xóa một trong các tài khoản đã chọn."))
            super().delete_queryset(request, queryset)

    def construct_change_message(self, request, form, formsets, add=False):
        """Django's message plus the rights before and after, so the account's history
        shows who changed whose role, unit or access, and when."""
        message = super().construct_change_message(request, form, formsets, add)
        moves = [
            _("%(field)s: %(old)s → %(new)s") % {
                "field": form.fields[name].label,
                "old": self._shown_value(name, form.initial.get(name)) if not add else "—",
                "new": self._shown_value(name, form.cleaned_data.get(name)),
            }
            for name in ("role", "unit", "is_active")
            if name in form.fields and (add or name in form.changed_data)
        ]
        if not moves:
            return message
        return "%s %s." % (LogEntry(change_message=json.dumps(message)).get_change_message(), "; ".join(moves))

    @staticmethod
    def _shown_value(name, value):
        if name == "role":
            return dict(User.Role.choices).get(value) or "—"
        if name == "unit":
            if isinstance(value, AdministrativeUnit):
                return value.name
            unit = AdministrativeUnit.objects.filter(pk=value).first() if value else None
            return unit.name if unit else "—"
        return _("có") if value else _("không")


# The planning cycle's screens live in their own module; importing it registers them.
from . import planning_admin  # noqa: E402,F401
