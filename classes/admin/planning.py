"""Annual plans (with import, export and the draft from the survey) and learning-needs surveys."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from classes import access, services
from classes.admin.base import (
    UnitFilter,
    UnitYearAdmin,
    UnitYearForm,
    YearFilter,
    year_column,
)
from classes.admin.imports import ScopedImportExportMixin
from classes.form_fields import AsciiIntegerField
from classes.models import AdministrativeUnit, AnnualPlan, LearningNeedsSurvey
from classes.spreadsheets.plans import AnnualPlanResource
from classes.text import error_text
from classes.versioning import VersionedAdminMixin, VersionedFormMixin


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
        self.fields["unit"].queryset = access.units_visible_to(user).exclude(kind=AdministrativeUnit.Kind.PROVINCE)
        if access.user_is_district(user):
            self.fields["unit"].initial = user.unit_id


@admin.register(AnnualPlan)
class AnnualPlanAdmin(VersionedAdminMixin, PlanImportExportMixin, UnitYearAdmin):
    scope_selector = staticmethod(access.plans_visible_to)
    form = AnnualPlanForm
    list_display = (
        year_column(),
        "unit",
        "programme",
        "planned_classes",
        "planned_learners",
        "is_draft",
        "updated_by",
        "updated_at",
    )
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
                form.add_error(None, error_text(error))
            else:
                if outcome["created"] or outcome["kept"]:
                    self.message_user(
                        request,
                        _(
                            "Đã lập dự thảo kế hoạch năm %(year)s của %(unit)s: %(created)s chương trình mới, "
                            "%(kept)s chương trình đã có kế hoạch được giữ nguyên. Hãy rà soát và điều chỉnh."
                        )
                        % {"year": year, "unit": unit.name, **outcome},
                        messages.SUCCESS,
                    )
                else:
                    self.message_user(
                        request,
                        _("%(unit)s chưa có khảo sát nhu cầu học tập nào đến năm %(year)s nên chưa lập được dự thảo.")
                        % {"year": year, "unit": unit.name},
                        messages.WARNING,
                    )
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
    scope_selector = staticmethod(access.surveys_visible_to)
    list_display = (year_column(), "unit", "programme", "people_needing", "survey_date", "updated_by", "updated_at")
    fields = ("year", "unit", "programme", "people_needing", "survey_date", "note")
    date_hierarchy = "survey_date"

    def save_model(self, request, obj, form, change):
        services.survey_save(user=request.user, survey=obj)

    def delete_model(self, request, obj):
        services.survey_delete(user=request.user, survey=obj)

    def delete_queryset(self, request, queryset):
        for survey in queryset:
            services.survey_delete(user=request.user, survey=survey)
