"""Abstract bases for the fields several models repeat: who saved a row last and
when, and the version of the optimistic lock (classes/versioning.py). Abstract:
each model keeps its own table and columns, exactly as before."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Versioned(models.Model):
    """Optimistic lock: a save must name the version it was edited from."""

    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)

    class Meta:
        abstract = True


class UpdatedStamp(models.Model):
    """When a row was last saved."""

    updated_at = models.DateTimeField(_("sửa lần cuối"), auto_now=True)

    class Meta:
        abstract = True


class Audited(UpdatedStamp):
    """Who saved a row last, and when."""

    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sửa cuối"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True
