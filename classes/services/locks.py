"""Locking and reopening a year."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from classes import access
from classes.models import AdministrativeUnit, YearLock


def year_lock(*, user, year: int, unit: AdministrativeUnit | None = None, reason: str = "") -> YearLock:
    if not access.user_is_board(user):
        raise PermissionDenied(_("Chỉ Ban Tuyên giáo Tỉnh ủy được khóa số liệu."))
    with transaction.atomic():
        lock, _created = YearLock.objects.get_or_create(
            year=year, unit=unit, defaults={"locked_by": user, "reason": reason}
        )
    return lock


def year_unlock(*, user, lock: YearLock) -> None:
    if not access.user_is_board(user):
        raise PermissionDenied(_("Chỉ Ban Tuyên giáo Tỉnh ủy được mở khóa số liệu."))
    lock.delete()
