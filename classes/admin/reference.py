"""Reference data: units, centres, programmes."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from classes import access
from classes.admin.base import PlainInputMixin, ScopedAdminMixin, year_column
from classes.models import (
    AdministrativeUnit,
    BoardName,
    Programme,
    TrainingCentre,
)


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_selector = staticmethod(access.units_visible_to)
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(TrainingCentre)
class TrainingCentreAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_selector = staticmethod(access.centres_visible_to)
    list_display = (
        "code",
        "name",
        "unit",
        "kind",
        "meets_standard",
        year_column("standard_since_year", _("đạt chuẩn từ năm")),
    )
    list_filter = ("kind", "meets_standard")
    search_fields = ("code", "name")


@admin.register(Programme)
class ProgrammeAdmin(PlainInputMixin, admin.ModelAdmin):
    list_display = ("code", "name", "level", "typical_days", "sort_order")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(BoardName)
class BoardNameAdmin(PlainInputMixin, admin.ModelAdmin):
    list_display = ("name", "short_symbol", "valid_from")
