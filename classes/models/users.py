"""Accounts: one role each, bound to a unit where the role needs one."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from classes.models.reference import AdministrativeUnit, TrainingCentre


class User(AbstractUser):
    class Role(models.TextChoices):
        DISTRICT = "district", _("Cán bộ huyện")
        PROVINCE = "province", _("Ban Tuyên giáo Tỉnh ủy")
        ADMIN = "admin", _("Quản trị hệ thống")
        CENTRE = "centre", _("Cán bộ trung tâm")

    # No default: a user whose role was never set sees nothing (see selectors).
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices, blank=True)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    centre = models.ForeignKey(
        TrainingCentre,
        verbose_name=_("trung tâm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    # Set for accounts created with a one-time password; any new password clears it.
    must_change_password = models.BooleanField(_("phải đổi mật khẩu"), default=False)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = pgettext_lazy("plural", "người dùng")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="district") | Q(unit__isnull=False),
                name="district_user_has_unit",
                violation_error_message=_("Cán bộ huyện phải gắn với một đơn vị."),
            ),
            models.CheckConstraint(
                condition=~Q(role="centre") | Q(centre__isnull=False),
                name="centre_user_has_centre",
                violation_error_message=_("Cán bộ trung tâm phải gắn với một trung tâm."),
            ),
        ]

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.must_change_password = False
