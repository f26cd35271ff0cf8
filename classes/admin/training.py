"""The class list and form: the screen unit staff use most."""

import datetime
import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from classes import access, selectors, services
from classes.admin.base import (
    ScopedHistoryAdmin,
    UnitFilter,
    WriteRuleAdminMixin,
    YearFilter,
    years_offered,
)
from classes.admin.imports import (
    ClassImportExportMixin,
)
from classes.models import (
    TrainingClass,
)
from classes.versioning import VersionedAdminMixin, VersionedFormMixin
from hatinh_training.params import whole_number


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
            keep = {
                getattr(self.instance, f"{name}_id", None),
                self.data.get(self.add_prefix(name)) if self.is_bound else None,
            }
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
            centre = access.centre_written_by(self.user) or selectors.default_centre_for(unit.pk, start_date)
            if centre is None and (start_date is None or unit.is_valid_on(start_date)):
                self.add_error(
                    "centre",
                    _("Đơn vị %(unit)s chưa có trung tâm chính trị; hãy chọn trung tâm.") % {"unit": unit.name},
                )
            elif centre is not None:
                cleaned["centre"] = centre
        original = None
        if self.instance.pk:
            original = TrainingClass.objects.filter(pk=self.instance.pk).only("unit_id", "year", "centre_id").first()
        if unit is not None and start_date is not None:
            centre = cleaned.get("centre", self.instance.centre if self.instance.centre_id else None)
            refusal = access.write_refusal(self.user, unit, start_date.year, centre=centre, was=original)
            if refusal:
                raise ValidationError(str(refusal))
        return cleaned


class ListRowForm(forms.ModelForm):
    """A row of the class list: a locked year's counts are shown, not offered for typing
    (the lock's reason is said once above the list); the counts take Tab in order."""

    refusals = None  # access.write_refusals for the request

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        row = self.instance
        locked = row.pk and self.refusals[(row.unit_id, row.year, row.centre_id)]
        for name in TrainingClass.COUNT_FIELDS:
            field = self.fields.get(name)
            if field is None:
                continue
            # Positive tabindex: Tab goes count to count down the page, then to Save.
            field.widget.attrs = {**field.widget.attrs, "tabindex": "1"}
            if locked:
                # Read-only rather than disabled: a page loaded before the lock still
                # posts its edits, and they are refused with the reason, not dropped.
                field.widget.attrs.update({"readonly": True, "tabindex": "-1"})


@admin.register(TrainingClass)
class TrainingClassAdmin(VersionedAdminMixin, ClassImportExportMixin, WriteRuleAdminMixin, ScopedHistoryAdmin):
    scope_selector = staticmethod(access.classes_visible_to)
    form = TrainingClassForm
    # Fits 1366 px with the filters beside it: the venue is a filter, not a column.
    list_display = (
        "code",
        "short_name",
        "programme_code",
        "unit",
        "start_day",
        "status",
        "learners",
        "completed",
    )
    list_display_links = ("code", "short_name")
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
        (
            _("Học viên và kết quả"),
            {"fields": ("learners", "completed", ("excellent", "good", "fair", "average", "failed"))},
        ),
        (_("Khác"), {"fields": ("notes", "created_by", "created_at", "updated_by", "updated_at")}),
    )

    @admin.display(description=_("tên lớp"), ordering="name")
    def short_name(self, obj):
        return format_html('<span title="{}">{}</span>', obj.name, Truncator(obj.name).chars(36))

    @admin.display(description=_("chương trình"), ordering="programme__code")
    def programme_code(self, obj):
        return format_html('<span title="{}">{}</span>', obj.programme.name, obj.programme.code)

    @admin.display(description=_("ngày khai giảng"), ordering="start_date")
    def start_day(self, obj):
        return date_format(obj.start_date, "SHORT_DATE_FORMAT")

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
        return type(
            form.__name__,
            (ListRowForm, form, TrainingClassForm),
            {
                "user": request.user,
                "is_list_row": True,
                "refusals": access.write_refusals(request.user),
            },
        )

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
        return access.user_is_district(request.user) or any(
            changelist.params.get(name)
            for name in (YearFilter.parameter_name, UnitFilter.parameter_name, "start_date__year")
        )

    @staticmethod
    def _date_drilldown(changelist, years) -> list[tuple[str, str, bool]]:
        """(label, link, chosen) for the years offered, or the months of the chosen year."""
        year_key, month_key, day_key = "start_date__year", "start_date__month", "start_date__day"
        year, month = changelist.params.get(year_key), changelist.params.get(month_key)
        if whole_number(year) is None:
            return [(str(y), changelist.get_query_string({year_key: y}, [month_key, day_key]), False) for y in years]
        links = [(_("‹ Mọi năm"), changelist.get_query_string(remove=[year_key, month_key, day_key]), False)]
        links += [
            (
                _("Tháng %(month)s/%(year)s") % {"month": m, "year": year},
                changelist.get_query_string({year_key: year, month_key: m}, [day_key]),
                str(m) == str(month),
            )
            for m in range(1, 13)
        ]
        return links

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and "_save" in request.POST and self.list_editable:
            # A hidden id naming a row outside the user's scope: Django would only
            # say "correct the errors below"; say why, and save nothing.
            posted = {value for key, value in request.POST.items() if re.fullmatch(r"form-\d+-id", key)}
            # Only ids a database column can hold are looked up (SQLite overflows past 64 bits).
            plausible = {value for value in posted if value.isdigit() and int(value) < 2**63}
            found = {str(pk) for pk in self.get_queryset(request).filter(pk__in=plausible).values_list("pk", flat=True)}
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
            locks = access.year_locks_visible_to(request.user)[:5]
            response.context_data["year_lock_notes"] = [
                f"{access.year_lock_message(lock)} {lock.reason}".strip() for lock in locks
            ]
            # Where the unit's yearly reports stand in the cycle (sent, accepted, returned).
            unit_id = (
                request.user.unit_id if access.user_is_district(request.user) else whole_number(request.GET.get("unit"))
            )
            if unit_id is not None:
                reports = access.unit_reports_visible_to(request.user).filter(unit_id=unit_id).order_by("-year")[:3]
                response.context_data["cycle_notes"] = [report.describe() for report in reports]
        if changelist is not None:
            response.context_data["date_drilldown"] = self._date_drilldown(changelist, years_offered(request, self))
        if changelist is not None and self._list_is_narrowed(request, changelist):
            # The table's foot row: what the report counts, and the classes it leaves out apart.
            changelist.class_totals = selectors.class_list_totals(changelist.queryset)
        return response
