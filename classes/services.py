"""Writes that span models or need the caller's rights. Views, admin classes
and import resources call these and nothing else to change data."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import selectors
from .models import AdministrativeUnit, Commendation, TrainingClass, YearLock


def year_lock_message(lock: YearLock) -> str:
    scope = lock.unit.name if lock.unit_id else _("toàn tỉnh")
    who = (lock.locked_by.get_full_name() or lock.locked_by.get_username()) if lock.locked_by_id else _("không rõ")
    return _("Số liệu năm %(year)s của %(scope)s đã khóa bởi %(who)s từ %(when)s.") % {
        "year": lock.year,
        "scope": scope,
        "who": who,
        "when": date_format(timezone.localtime(lock.locked_at), "SHORT_DATETIME_FORMAT"),
    }


def unit_year_check_writable(*, user, unit_id: int | None, year: int | None) -> None:
    """Raise unless this user may write rows of this unit and year.

    District staff write only their own unit, and not in a locked year; the
    board's corrections to a locked year are allowed (and kept in history).
    """
    unit_ids = selectors.visible_unit_ids(user)
    if unit_ids is not None and unit_id not in unit_ids:
        raise PermissionDenied(_("Bạn chỉ được nhập số liệu của đơn vị mình."))
    if year is None or selectors.user_sees_all_units(user):
        return
    lock = selectors.year_lock_for(unit_id=unit_id, year=year)
    if lock is not None:
        raise ValidationError(year_lock_message(lock))


def class_check_writable(*, user, training_class: TrainingClass, original: TrainingClass | None = None) -> None:
    """Checks both where the class was (when changing it) and where it goes."""
    if original is not None:
        unit_year_check_writable(user=user, unit_id=original.unit_id, year=original.year)
    year = training_class.start_date.year if training_class.start_date else None
    unit_year_check_writable(user=user, unit_id=training_class.unit_id, year=year)


def _fill_defaults(training_class: TrainingClass) -> None:
    if not training_class.centre_id and training_class.unit_id:
        centre = selectors.district_centre_for(training_class.unit_id)
        if centre is not None:
            training_class.centre = centre


def class_save(*, user, training_class: TrainingClass) -> TrainingClass:
    """Create or change a class after checking the user's rights and every rule."""
    with transaction.atomic():
        original = None
        if training_class.pk:
            original = (
                TrainingClass.objects.select_for_update().filter(pk=training_class.pk).first()
            )
            if original is None or not selectors.classes_visible_to(user).filter(pk=original.pk).exists():
                raise PermissionDenied(_("Không tìm thấy lớp này trong phạm vi đơn vị của bạn."))
        _fill_defaults(training_class)
        class_check_writable(user=user, training_class=training_class, original=original)
        training_class.full_clean()
        if original is None:
            training_class.created_by = user
        else:
            training_class.version = original.version + 1
        training_class.updated_by = user
        training_class.save()
    return training_class


def class_create(*, user, **fields) -> TrainingClass:
    return class_save(user=user, training_class=TrainingClass(**fields))


def class_delete(*, user, training_class: TrainingClass) -> None:
    with transaction.atomic():
        if not selectors.classes_visible_to(user).filter(pk=training_class.pk).exists():
            raise PermissionDenied(_("Không tìm thấy lớp này trong phạm vi đơn vị của bạn."))
        unit_year_check_writable(user=user, unit_id=training_class.unit_id, year=training_class.year)
        training_class.delete()


def commendation_save(*, user, commendation: Commendation) -> Commendation:
    if not selectors.user_sees_all_units(user):
        raise PermissionDenied(_("Chỉ Ban Tuyên giáo Tỉnh ủy được nhập khen thưởng."))
    with transaction.atomic():
        commendation.full_clean()
        if commendation.pk:
            commendation.version += 1
        commendation.save()
    return commendation


def year_lock(*, user, year: int, unit: AdministrativeUnit | None = None, reason: str = "") -> YearLock:
    if not selectors.user_sees_all_units(user):
        raise PermissionDenied(_("Chỉ Ban Tuyên giáo Tỉnh ủy được khóa số liệu."))
    with transaction.atomic():
        lock, _created = YearLock.objects.get_or_create(
            year=year, unit=unit, defaults={"locked_by": user, "reason": reason}
        )
    return lock


def year_unlock(*, user, lock: YearLock) -> None:
    if not selectors.user_sees_all_units(user):
        raise PermissionDenied(_("Chỉ Ban Tuyên giáo Tỉnh ủy được mở khóa số liệu."))
    lock.delete()


def user_save(*, username: str, role: str, unit: AdministrativeUnit | None = None, password: str | None = None, **fields):
    """Create or update a user with one role, its group and, for district staff, a unit."""
    from django.contrib.auth.models import Group

    from .models import User
    from .roles import GROUP_NAMES

    if role not in GROUP_NAMES:
        raise ValidationError(_("Vai trò không hợp lệ: %(role)s. Chọn district, province hoặc admin.") % {"role": role})
    if role == User.Role.DISTRICT and unit is None:
        raise ValidationError(_("Cán bộ huyện phải gắn với một đơn vị (--unit MÃ)."))
    with transaction.atomic():
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role = role
        user.unit = unit
        user.is_staff = True  # every role works in the admin screens
        user.is_superuser = False
        for name, value in fields.items():
            setattr(user, name, value)
        if password is not None:
            user.set_password(password)
        user.full_clean(exclude=["password"] if password is None and user.pk else None)
        user.save()
        user.groups.set([Group.objects.get(name=GROUP_NAMES[role])])
    return user
