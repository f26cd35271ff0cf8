"""The reporting cycle: the year's settings and the units' reports."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from classes import access, selectors, services
from classes.admin.base import (
    PlainInputMixin,
    ScopedAdminMixin,
    UnitFilter,
    YearFilter,
    year_column,
)
from classes.models import (
    ReportingPeriod,
    UnitReport,
)
from classes.text import error_text


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(PlainInputMixin, admin.ModelAdmin):
    list_display = (year_column(), "deadline", "pass_threshold", "draft_class_size", "published_at", "published_by")
    fields = (
        "year",
        "deadline",
        "pass_threshold",
        "draft_class_size",
        "required_units",
        "published_at",
        "published_by",
    )
    readonly_fields = ("published_at", "published_by")
    filter_horizontal = ("required_units",)
    actions = ["publish"]

    def save_model(self, request, obj, form, change):
        services.reporting_period_save(user=request.user, period=obj)

    @admin.action(permissions=["change"], description=gettext_lazy("Công bố số liệu các năm đã chọn (khóa toàn tỉnh)"))
    def publish(self, request, queryset):
        try:
            with transaction.atomic():  # every selected year or none
                years = [
                    services.reporting_period_publish(user=request.user, year=period.year).year for period in queryset
                ]
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, error_text(error), messages.ERROR)
            return
        for year in years:
            self.message_user(
                request,
                _("Đã công bố số liệu năm %(year)s; số liệu công bố được lưu cố định.")
                % {
                    "year": year,
                },
                messages.SUCCESS,
            )


class ReturnReasonForm(ActionForm):
    return_reason = forms.CharField(label=gettext_lazy("Lý do trả lại"), required=False, max_length=1000)


class UnitReportAddForm(forms.ModelForm):
    user = None

    class Meta:
        model = UnitReport
        fields = ("unit", "year", "send_note")

    def clean(self):
        cleaned = super().clean()
        unit, year = cleaned.get("unit"), cleaned.get("year")
        if unit is not None and year is not None:
            if refusal := access.write_refusal(self.user, unit, year):
                raise ValidationError(str(refusal))
            # The service refuses it too; asked here, the answer sits under the note's box.
            check = selectors.unit_year_send_check(unit_id=unit.pk, year=year)
            if check["needs_note"] and not (cleaned.get("send_note") or "").strip():
                self.add_error("send_note", services.send_note_question(check, year=year))
        return cleaned


@admin.register(UnitReport)
class UnitReportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Sending a year is adding its report; accepting and returning are the board's actions."""

    scope_selector = staticmethod(access.unit_reports_visible_to)
    list_display = (
        year_column(),
        "unit",
        "status",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "send_note",
        "return_reason",
    )
    list_filter = (YearFilter, "status", UnitFilter)
    list_select_related = ("unit", "submitted_by", "reviewed_by")
    action_form = ReturnReasonForm
    actions = ["send_again", "accept", "send_back"]

    def get_urls(self):
        return [
            path("send-year/", self.admin_site.admin_view(self.send_year_view), name="classes_unitreport_send_year"),
            path(
                "<int:pk>/board-accept/",
                self.admin_site.admin_view(self.board_accept_view),
                name="classes_unitreport_board_accept",
            ),
            path(
                "<int:pk>/board-return/",
                self.admin_site.admin_view(self.board_return_view),
                name="classes_unitreport_board_return",
            ),
            *super().get_urls(),
        ]

    def send_year_view(self, request):
        """The start page's one button: the unit sends the current year (the service decides)."""
        if not access.user_is_district(request.user):
            raise PermissionDenied(_("Chỉ cán bộ của một đơn vị được gửi báo cáo năm của đơn vị."))
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        year, unit = timezone.localdate().year, request.user.unit
        try:
            services.unit_report_submit(user=request.user, unit=unit, year=year, note=request.POST.get("send_note", ""))
        except (PermissionDenied, ValidationError) as error:
            self.message_user(
                request,
                _("Chưa gửi được báo cáo năm %(year)s. %(reason)s") % {"year": year, "reason": error_text(error)},
                messages.ERROR,
            )
            return redirect("admin:index")
        self.message_user(request, _("Đã gửi báo cáo năm %(year)s; chờ Ban duyệt.") % {"year": year}, messages.SUCCESS)
        return redirect("admin:index")

    def _board_step(self, request, pk, step, done):
        """Accept or return from the completeness board, then back to the year's board."""
        if not access.user_is_board(request.user):
            raise PermissionDenied(_("Chỉ Ban Tuyên giáo Tỉnh ủy được duyệt báo cáo."))
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        report = get_object_or_404(UnitReport.objects.select_related("unit"), pk=pk)
        try:
            step(report)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, error_text(error), messages.ERROR)
        else:
            self.message_user(request, done % {"unit": report.unit.name, "year": report.year}, messages.SUCCESS)
        return redirect("reports:completeness", year=report.year)

    def board_accept_view(self, request, pk):
        return self._board_step(
            request,
            pk,
            lambda report: services.unit_report_accept(user=request.user, report=report),
            _("Đã chấp nhận báo cáo năm %(year)s của %(unit)s; số liệu năm của đơn vị đã khóa."),
        )

    def board_return_view(self, request, pk):
        reason = request.POST.get("return_reason", "")
        return self._board_step(
            request,
            pk,
            lambda report: services.unit_report_return(user=request.user, report=report, reason=reason),
            _("Đã trả lại báo cáo năm %(year)s của %(unit)s; đơn vị có thể sửa và gửi lại."),
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = type("UnitReportAddForm", (UnitReportAddForm,), {"user": request.user})
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("unit", "year", "send_note")
        return (
            "unit",
            "year",
            "status",
            "submitted_by",
            "submitted_at",
            "send_note",
            "reviewed_by",
            "reviewed_at",
            "return_reason",
        )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        # The reason box serves only the board's "trả lại"; a unit cannot use it, so it is not shown.
        action_form = getattr(response, "context_data", None) and response.context_data.get("action_form")
        if action_form is not None and not access.user_is_board(request.user):
            action_form.fields.pop("return_reason", None)
        return response

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not access.write_refusal(request.user, None, None)

    def has_change_permission(self, request, obj=None):
        # Steps change only through the actions below; a report's page is read-only.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.unit_report_submit(user=request.user, unit=obj.unit, year=obj.year, note=obj.send_note)
        obj.pk = saved.pk

    def _each(self, request, queryset, step, done_message):
        """One step on every selected report, or on none: the first refusal undoes the others."""
        try:
            with transaction.atomic():
                done = 0
                for report in queryset.select_related("unit"):
                    step(report)
                    done += 1
        except (PermissionDenied, ValidationError) as error:
            self.message_user(
                request,
                _("Không thực hiện với báo cáo nào. %(reason)s")
                % {
                    "reason": error_text(error),
                },
                messages.ERROR,
            )
            return
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(permissions=["add"], description=gettext_lazy("Gửi lại báo cáo đã bị trả lại"))
    def send_again(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda report: services.unit_report_submit(
                user=request.user,
                unit=report.unit,
                year=report.year,
            ),
            _("Đã gửi lại %(count)s báo cáo."),
        )

    @admin.action(
        permissions=["change"], description=gettext_lazy("Duyệt báo cáo đã chọn (khóa số liệu năm của đơn vị)")
    )
    def accept(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda report: services.unit_report_accept(user=request.user, report=report),
            _("Đã duyệt %(count)s báo cáo; số liệu năm của các đơn vị đó đã khóa."),
        )

    @admin.action(
        permissions=["change"], description=gettext_lazy("Trả lại báo cáo đã chọn (ghi lý do; mở khóa số liệu)")
    )
    def send_back(self, request, queryset):
        reason = request.POST.get("return_reason", "")
        self._each(
            request,
            queryset,
            lambda report: services.unit_report_return(
                user=request.user,
                report=report,
                reason=reason,
            ),
            _("Đã trả lại %(count)s báo cáo; đơn vị có thể sửa và gửi lại."),
        )
