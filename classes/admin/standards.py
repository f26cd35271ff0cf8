"""The standard's criteria and the board's assessments of centres."""

from django.contrib import admin
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from classes import access, selectors, services
from classes.admin.base import (
    AsciiNumbersMixin,
    PlainInputMixin,
    ScopedAdminMixin,
    YearFilter,
    year_column,
)
from classes.models import (
    CentreAssessment,
    CentreAssessmentScore,
    StandardCriterion,
)


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
    scope_selector = staticmethod(access.assessments_visible_to)
    inlines = [ScoreInline]
    list_display = (
        year_column(),
        "centre",
        "total",
        "threshold_display",
        "passes_display",
        "assessed_on",
        "assessed_by",
    )
    list_filter = (YearFilter,)
    list_select_related = ("centre", "assessed_by")
    fields = ("centre", "year", "assessed_on", "note")

    def get_queryset(self, request):
        return selectors.assessment_totals(super().get_queryset(request))

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if obj is None or obj.pk is None:
            kwargs["initial"] = [
                {"criterion": pk}
                for pk in StandardCriterion.objects.filter(is_active=True).values_list("pk", flat=True)
            ]
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
