"""Year locks: a published year (of one unit or the province) that unit staff can no longer change."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from classes.models.bounds import YEAR
from classes.models.reference import AdministrativeUnit
from classes.text import CleanTextMixin


class YearLock(CleanTextMixin, models.Model):
    """A published year: district staff may no longer change its classes."""

    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="year_locks",
        help_text=_("Để trống để khóa toàn tỉnh."),
    )
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người khóa"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    locked_at = models.DateTimeField(_("khóa lúc"), auto_now_add=True)
    reason = models.CharField(_("lý do"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("khóa số liệu năm")
        verbose_name_plural = pgettext_lazy("plural", "khóa số liệu năm")
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="yearlock_unique_unit_year"),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(unit__isnull=True),
                name="yearlock_unique_province_year",
                violation_error_message=_("Năm này đã được khóa cho toàn tỉnh."),
            ),
        ]

    def __str__(self):
        scope = self.unit.name if self.unit_id else _("toàn tỉnh")
        return _("Năm %(year)s — %(scope)s") % {"year": self.year, "scope": scope}
