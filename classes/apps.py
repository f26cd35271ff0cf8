from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassesConfig(AppConfig):
    name = "classes"
    verbose_name = _("Lớp bồi dưỡng lý luận chính trị")

    def ready(self):
        from django.core.validators import ProhibitNullCharactersValidator
        from django.db.models.signals import post_migrate

        from classes import roles, signals

        signals.connect()
        post_migrate.connect(roles.role_groups_sync_after_migrate, sender=self, dispatch_uid="classes-role-groups")

        # Every form's text field refuses NUL with Django's message, which has no Vietnamese translation.
        ProhibitNullCharactersValidator.message = _(
            "Có ký tự NUL (U+0000), không được phép; hãy xóa ký tự đó (thường do dán từ Word hay PDF) rồi nhập lại."
        )
