"""Accounts and their roles."""

import json

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from classes import roles, services
from classes.models import (
    AdministrativeUnit,
    User,
)
from classes.roles import ROLE_HELP


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
            selected = {
                value for value in request.POST.getlist(ACTION_CHECKBOX_NAME) if value.isascii() and value.isdigit()
            }
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
        if request.method == "POST" and not roles.user_may_manage(
            request.user, target, request.POST.get("role", target.role)
        ):
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
            kwargs["choices"] = [
                (value, label) for value, label in db_field.get_choices() if value in ("", *assignable)
            ]
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
            _("%(field)s: %(old)s → %(new)s")
            % {
                "field": form.fields[name].label,
                "old": self._shown_value(name, form.initial.get(name)) if not add else "—",
                "new": self._shown_value(name, form.cleaned_data.get(name)),
            }
            for name in ("role", "unit", "is_active")
            if name in form.fields and (add or name in form.changed_data)
        ]
        if not moves:
            return message
        return "{} {}.".format(LogEntry(change_message=json.dumps(message)).get_change_message(), "; ".join(moves))

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
