"""Admin screens of the planning cycle: plans (with import/export and the draft
from the survey), learning-needs surveys, the đạt chuẩn criteria and assessments,
the board's yearly settings and publication, and the units' reports.

Every list and choice goes through the selectors and every write through the
services; these classes only wire them into the admin.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors, services
from .admin import AsciiNumbersMixin, PlainInputMixin, ScopedAdminMixin, UnitFilter, YearFilter
from .admin_import import ScopedImportExportMixin
from .form_fields import AsciiIntegerField
from .models import (
    AnnualPlan, CentreAssessment, CentreAssessmentScore, LearningNeedsSurvey, ReportingPeriod, StandardCriterion,
    UnitReport,
)
from .plan_resources import AnnualPlanResource
from .versioning import VersionedAdminMixin, VersionedFormMixin


def _messages_of(error) -> str:
    return " ".join(error.messages if isinstance(error, ValidationError) else [str(error)])


class UnitYearForm(forms.ModelForm):
    """Plans and surveys: refuses, with the reason, a unit outside the user's scope or a locked year."""

    user = None  # set per request by the admin

    def clean(self):
        cleaned = super().clean()
        unit, year = cleaned.get("unit"), cleaned.get("year")
        try:
            if self.instance.pk:
                original = type(self.instance).objects.only("unit_id", "year").get(pk=self.instance.pk)
                services.unit_year_check_writable(user=self.user, unit_id=original.unit_id, year=original.year)
            if unit is not None and year is not None:
                services.unit_year_check_writable(user=self.user, unit_id=unit.pk, year=year)
        except (PermissionDenied, ValidationError) as error:
            raise ValidationError(_messages_of(error)) from None
        return cleaned


class UnitYearAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Rows of one unit and year: read-only when the year is locked for the user."""

    form = UnitYearForm
    list_filter = (YearFilter, UnitFilter, "programme")
    list_select_related = ("unit", "programme", "updated_by")
    show_full_result_count = False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def lock_refusal(self, request, obj):
        if obj is None or not obj.year:
            return None
        try:
            services.unit_year_check_writable(user=request.user, unit_id=obj.unit_id, year=obj.year)
        except (PermissionDenied, ValidationError) as error:
            return _messages_of(error)
        return None

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self.lock_refusal(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self.lock_refusal(request, obj)


class AnnualPlanForm(VersionedFormMixin, UnitYearForm):
    pass


class PlanImportExportMixin(ScopedImportExportMixin):
    export_file_stem = "ke-hoach"
    change_list_template = "admin/classes/annualplan/change_list.html"

    def get_resource_classes(self, request):
        return [AnnualPlanResource]


class DraftPlanForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Đơn vị"), queryset=None)
    year = AsciiIntegerField(label=gettext_lazy("Năm kế hoạch"), min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.units_visible_to(user).exclude(kind="tinh")
        if selectors.user_is_district(user):
            self.fields["unit"].initial = user.unit_id


@admin.register(AnnualPlan)
class AnnualPlanAdmin(VersionedAdminMixin, PlanImportExportMixin, UnitYearAdmin):
    scope_selector = staticmethod(selectors.plans_visible_to)
    form = AnnualPlanForm
    list_display = ("year", "unit", "programme", "planned_classes", "planned_learners", "is_draft", "updated_by", "updated_at")
    list_filter = (YearFilter, UnitFilter, "programme", "is_draft")
    fieldsets = ((None, {"fields": ("year", "unit", "programme", "planned_classes", "planned_learners", "note")}),)

    def get_urls(self):
        return [
            path("draft/", self.admin_site.admin_view(self.draft_view), name="classes_annualplan_draft"),
            *super().get_urls(),
        ]

    def draft_view(self, request):
        """Draft next year's plan of a unit from its survey minus those already trained."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DraftPlanForm(request.POST or None, user=request.user, initial={"year": timezone.localdate().year + 1})
        if request.method == "POST" and form.is_valid():
            unit, year = form.cleaned_data["unit"], form.cleaned_data["year"]
            try:
                outcome = services.plan_draft_generate(user=request.user, unit=unit, year=year)
            except (PermissionDenied, ValidationError) as error:
                form.add_error(None, _messages_of(error))
            else:
                if outcome["created"] or outcome["kept"]:
                    self.message_user(request, _(
                        "Đã lập dự thảo kế hoạch năm %(year)s của %(unit)s: %(created)s chương trình mới, "
                        "%(kept)s chương trình đã có kế hoạch được giữ nguyên. Hãy rà soát và điều chỉnh."
                    ) % {"year": year, "unit": unit.name, **outcome}, messages.SUCCESS)
                else:
                    self.message_user(request, _(
                        "%(unit)s chưa có khảo sát nhu cầu học tập nào đến năm %(year)s nên chưa lập được dự thảo."
                    ) % {"year": year, "unit": unit.name}, messages.WARNING)
                url = reverse("admin:classes_annualplan_changelist")
                return HttpResponseRedirect(f"{url}?year={year}&unit={unit.pk}")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Lập dự thảo kế hoạch từ khảo sát"),
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/classes/annualplan/draft.html", context)

    def save_model(self, request, obj, form, change):
        services.plan_save(user=request.user, plan=obj, expected_version=self.loaded_version(form, change))

    def delete_model(self, request, obj):
        services.plan_delete(user=request.user, plan=obj)

    def delete_queryset(self, request, queryset):
        for plan in queryset:
            services.plan_delete(user=request.user, plan=plan)


@admin.register(LearningNeedsSurvey)
class LearningNeedsSurveyAdmin(UnitYearAdmin):
    scope_selector = staticmethod(selectors.surveys_visible_to)
    list_display = ("year", "unit", "programme", "people_needing", "survey_date", "updated_by", "updated_at")
    fields = ("year", "unit", "programme", "people_needing", "survey_date", "note")
    date_hierarchy = "survey_date"

    def save_model(self, request, obj, form, change):
        services.survey_save(user=request.user, survey=obj)

    def delete_model(self, request, obj):
        services.survey_delete(user=request.user, survey=obj)

    def delete_queryset(self, request, queryset):
        for survey in queryset:
            services.survey_delete(user=request.user, survey=survey)


@admin.register(StandardCriterion)
class StandardCriterionAdmin(PlainInputMixin, admin.ModelAdmin):
    list_display = ("sort_order", "group", "name", "max_score", "is_active")
    list_display_links = ("group", "name")
    list_filter = ("is_active", "group")
    search_fields = ("group", "name")

    def save_model(self, request, obj, form, change):
        services.criterion_save(user=request.user, criterion=obj)


class ScoreInline(AsciiNumbersMixin, admin.TabularInline):
    model = CentreAssessmentScore
    fields = ("criterion", "score", "evidence")
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "criterion":
            kwargs["queryset"] = StandardCriterion.objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_extra(self, request, obj=None, **kwargs):
        # A new assessment opens with one line per active criterion.
        return 0 if obj is not None else StandardCriterion.objects.filter(is_active=True).count()


@admin.register(CentreAssessment)
class CentreAssessmentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_selector = staticmethod(selectors.assessments_visible_to)
    inlines = [ScoreInline]
    list_display = ("year", "centre", "total", "threshold_display", "passes_display", "assessed_on", "assessed_by")
    list_filter = (YearFilter,)
    list_select_related = ("centre", "assessed_by")
    fields = ("centre", "year", "assessed_on", "note")

    def get_queryset(self, request):
        return selectors.assessment_totals(super().get_queryset(request))

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if obj is None or obj.pk is None:
            kwargs["initial"] = [{"criterion": pk} for pk in StandardCriterion.objects.filter(is_active=True).values_list("pk", flat=True)]
        return kwargs

    @admin.display(description=gettext_lazy("tổng điểm"), ordering="total_score")
    def total(self, obj):
        return obj.total_score

    @admin.display(description=gettext_lazy("điểm đạt chuẩn"))
    def threshold_display(self, obj):
        return obj.threshold if obj.threshold is not None else _("chưa đặt")

    @admin.display(description=gettext_lazy("đạt chuẩn"), boolean=True)
    def passes_display(self, obj):
        return obj.passes

    def save_model(self, request, obj, form, change):
        services.assessment_save(user=request.user, assessment=obj)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(PlainInputMixin, admin.ModelAdmin):
    list_display = ("year", "deadline", "pass_threshold", "draft_class_size", "published_at", "published_by")
    fields = ("year", "deadline", "pass_threshold", "draft_class_size", "published_at", "published_by")
    readonly_fields = ("published_at", "published_by")
    actions = ["publish"]

    def save_model(self, request, obj, form, change):
        services.reporting_period_save(user=request.user, period=obj)

    @admin.action(permissions=["change"], description=gettext_lazy("Công bố số liệu các năm đã chọn (khóa toàn tỉnh)"))
    def publish(self, request, queryset):
        try:
            with transaction.atomic():  # every selected year or none
                years = [services.reporting_period_publish(user=request.user, year=period.year).year for period in queryset]
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, _messages_of(error), messages.ERROR)
            return
        for year in years:
            self.message_user(request, _("Đã công bố số liệu năm %(year)s; số liệu công bố được lưu cố định.") % {
                "year": year,
            }, messages.SUCCESS)


class ReturnReasonForm(ActionForm):
    return_reason = forms.CharField(label=gettext_lazy("Lý do trả lại"), required=False, max_length=1000)


class UnitReportAddForm(forms.ModelForm):
    user = None

    class Meta:
        model = UnitReport
        fields = ("unit", "year")

    def clean(self):
        cleaned = super().clean()
        unit, year = cleaned.get("unit"), cleaned.get("year")
        if unit is not None and year is not None:
            try:
                services.unit_year_check_writable(user=self.user, unit_id=unit.pk, year=year)
            except (PermissionDenied, ValidationError) as error:
                raise ValidationError(_messages_of(error)) from None
        return cleaned


@admin.register(UnitReport)
class UnitReportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Sending a year is adding its report; accepting and returning are the board's actions."""

    scope_selector = staticmethod(selectors.unit_reports_visible_to)
    list_display = ("year", "unit", "status", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at", "return_reason")
    list_filter = (YearFilter, "status", UnitFilter)
    list_select_related = ("unit", "submitted_by", "reviewed_by")
    action_form = ReturnReasonForm
    actions = ["send_again", "accept", "send_back"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = type("UnitReportAddForm", (UnitReportAddForm,), {"user": request.user})
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("unit", "year")
        return ("unit", "year", "status", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at", "return_reason")

    def has_change_permission(self, request, obj=None):
        # Steps change only through the actions below; a report's page is read-only.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.unit_report_submit(user=request.user, unit=obj.unit, year=obj.year)
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
            self.message_user(request, _("Không thực hiện với báo cáo nào. %(reason)s") % {
                "reason": _messages_of(error),
            }, messages.ERROR)
            return
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(permissions=["add"], description=gettext_lazy("Gửi lại báo cáo đã bị trả lại"))
    def send_again(self, request, queryset):
        self._each(request, queryset, lambda report: services.unit_report_submit(
            user=request.user, unit=report.unit, year=report.year,
        ), _("Đã gửi lại %(count)s báo cáo."))

    @admin.action(permissions=["change"], description=gettext_lazy("Duyệt báo cáo đã chọn (khóa số liệu năm của đơn vị)"))
    def accept(self, request, queryset):
        self._each(request, queryset, lambda report: services.unit_report_accept(user=request.user, report=report),
                   _("Đã duyệt %(count)s báo cáo; số liệu năm của các đơn vị đó đã khóa."))

    @admin.action(permissions=["change"], description=gettext_lazy("Trả lại báo cáo đã chọn (ghi lý do; mở khóa số liệu)"))
    def send_back(self, request, queryset):
        reason = request.POST.get("return_reason", "")
        self._each(request, queryset, lambda report: services.unit_report_return(
            user=request.user, report=report, reason=reason,
        ), _("Đã trả lại %(count)s báo cáo; đơn vị có thể sửa và gửi lại."))
