from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStamp(models.Model):
    """A token per year, replaced whenever that year's figures may have changed.

    Cached reports are keyed by the stamps they were built from, so a bump makes
    every gunicorn worker miss its old entry at once (a per-process cache cannot
    be cleared from another process). A random token rather than a counter: a
    counter restarts at 1 on a fresh or restored database and would meet old
    cache entries again. Year 0 stands for reference data (names of units,
    programmes, centres) that every year's report shows.
    """

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    token = models.CharField(_("mã phiên bản"), max_length=32)

    class Meta:
        verbose_name = _("dấu phiên bản báo cáo")
        verbose_name_plural = _("dấu phiên bản báo cáo")

    def __str__(self):
        return f"{self.year}: {self.token}"
