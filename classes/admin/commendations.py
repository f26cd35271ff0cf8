"""Commendations (giấy khen, bằng khen): the board's screen."""

from django import forms
from django.contrib import admin

from classes import access, selectors, services
from classes.admin.base import ScopedHistoryAdmin, UnitFilter, year_column
from classes.admin.imports import CommendationImportExportMixin
from classes.models import Commendation
from classes.versioning import VersionedAdminMixin, VersionedFormMixin


class CommendationForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Commendation
        fields = "__all__"


@admin.register(Commendation)
class CommendationAdmin(VersionedAdminMixin, CommendationImportExportMixin, ScopedHistoryAdmin):
    scope_selector = staticmethod(access.commendations_visible_to)
    form = CommendationForm
    list_display = (
        year_column(),
        "form",
        "recipient_kind",
        "recipient",
        "unit",
        "decision_number",
        "decision_date",
        "issuer",
    )
    list_filter = ("year", "form", "recipient_kind", UnitFilter)
    search_fields = ("recipient", "decision_number", "achievement")
    date_hierarchy = "decision_date"
    list_select_related = ("unit",)

    def get_changeform_initial_data(self, request):
        # A new commendation is issued by the board under the name in force today.
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("issuer", selectors.board_name_on()[0])
        return initial

    def save_model(self, request, obj, form, change):
        services.commendation_save(
            user=request.user, commendation=obj, expected_version=self.loaded_version(form, change)
        )

    def delete_model(self, request, obj):
        services.commendation_delete(user=request.user, commendation=obj)

    def delete_queryset(self, request, queryset):
        for commendation in queryset:
            services.commendation_delete(user=request.user, commendation=commendation)
