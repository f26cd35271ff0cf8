"""Year locks."""

from django.contrib import admin, messages

from classes import access, services
from classes.admin.base import ScopedAdminMixin, year_column
from classes.models import YearLock


@admin.register(YearLock)
class YearLockAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_selector = staticmethod(access.year_locks_visible_to)
    list_display = (year_column(), "unit", "locked_by", "locked_at", "reason")
    list_filter = ("year",)
    readonly_fields = ("locked_by", "locked_at")

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        lock = services.year_lock(user=request.user, year=obj.year, unit=obj.unit, reason=obj.reason)
        obj.pk, obj.locked_by, obj.locked_at = lock.pk, lock.locked_by, lock.locked_at
        messages.info(request, access.year_lock_message(lock))

    def delete_model(self, request, obj):
        services.year_unlock(user=request.user, lock=obj)

    def delete_queryset(self, request, queryset):
        for lock in queryset:
            services.year_unlock(user=request.user, lock=lock)
