"""Who may see and who may write what: the one place that compares a user's unit or reads a lock."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from classes import access
from classes.models import (
    AdministrativeUnit,
    AnnualPlan,
    CentreAssessment,
    Commendation,
    LearningNeedsSurvey,
    TrainingCentre,
    TrainingClass,
    UnitReport,
    User,
    YearLock,
)


def user_sees_all_units(user) -> bool:
    """The provincial board and administrators see every unit; nobody else does."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.role in (User.Role.PROVINCE, User.Role.ADMIN)


def user_is_board(user) -> bool:
    """The provincial board: the only role that sets deadlines and thresholds, approves and publishes,
    locks years, enters commendations and corrects a locked year. Administrators see every unit
    but manage only users and reference data."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.role == User.Role.PROVINCE


def user_is_district(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and not user.is_superuser
        and user.role == User.Role.DISTRICT
        and user.unit_id
    )


def visible_unit_ids(user) -> list[int] | None:
    """None means every unit; a list, possibly empty, means only those."""
    if user_sees_all_units(user):
        return None
    if user_is_district(user):
        return [user.unit_id]
    return []


def _scoped(queryset, user, unit_lookup: str):
    unit_ids = visible_unit_ids(user)
    if unit_ids is None:
        return queryset
    return queryset.filter(**{f"{unit_lookup}__in": unit_ids})


def units_visible_to(user):
    return _scoped(AdministrativeUnit.objects.all(), user, "id")


def centres_visible_to(user):
    return _scoped(TrainingCentre.objects.select_related("unit"), user, "unit")


def classes_visible_to(user):
    return _scoped(TrainingClass.objects.all(), user, "unit")


def commendations_visible_to(user):
    return _scoped(Commendation.objects.all(), user, "unit")


def history_visible_to(user, model):
    """Past versions of a class or commendation: district staff see only the
    versions that belonged to their unit (a row the board moved stays hidden)."""
    return _scoped(model.history.all(), user, "unit")


def year_locks_visible_to(user):
    unit_ids = visible_unit_ids(user)
    queryset = YearLock.objects.select_related("unit", "locked_by")
    if unit_ids is None:
        return queryset
    return queryset.filter(Q(unit__in=unit_ids) | Q(unit__isnull=True))


def year_locks_by_unit_and_year() -> dict:
    """Every lock keyed by (unit id or None for the province, year); the table is small."""
    return {(lock.unit_id, lock.year): lock for lock in YearLock.objects.select_related("unit", "locked_by")}


def class_codes_outside_scope(user, codes) -> set[str]:
    """Which of these class codes already belong to classes the user may not see
    (an import must not overwrite them); one query per 1,000 codes."""
    unit_ids = visible_unit_ids(user)
    codes = list(codes)
    if unit_ids is None or not codes:
        return set()
    taken = set()
    for start in range(0, len(codes), 1000):
        taken.update(
            TrainingClass.objects.filter(code__in=codes[start : start + 1000])
            .exclude(unit_id__in=unit_ids)
            .values_list("code", flat=True)
        )
    return taken


def year_lock_for(*, unit_id: int | None, year: int) -> YearLock | None:
    """The lock covering this unit's year: a province-wide lock or the unit's own."""
    condition = Q(unit__isnull=True)
    if unit_id:
        condition |= Q(unit_id=unit_id)
    return (
        YearLock.objects.filter(condition, year=year).select_related("unit", "locked_by").order_by("locked_at").first()
    )


# A class counts in the year it opens; cancelled and planned classes were not opened.
NOT_OPENED = (TrainingClass.Status.CANCELLED, TrainingClass.Status.PLANNED)


def opened_classes_visible_to(user):
    return classes_visible_to(user).exclude(status__in=NOT_OPENED)


def plans_visible_to(user):
    return _scoped(AnnualPlan.objects.select_related("unit", "programme"), user, "unit")


def surveys_visible_to(user):
    return _scoped(LearningNeedsSurvey.objects.select_related("unit", "programme"), user, "unit")


def assessments_visible_to(user):
    return _scoped(CentreAssessment.objects.select_related("centre", "centre__unit"), user, "centre__unit")


def unit_reports_visible_to(user):
    return _scoped(UnitReport.objects.select_related("unit", "submitted_by", "reviewed_by"), user, "unit")


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
    unit_ids = access.visible_unit_ids(user)
    if unit_ids is not None and unit_id not in unit_ids:
        raise PermissionDenied(_("Bạn chỉ được nhập số liệu của đơn vị mình."))
    if year is None or access.user_is_board(user):
        return
    lock = access.year_lock_for(unit_id=unit_id, year=year)
    if lock is not None:
        raise ValidationError(year_lock_message(lock))


def unit_year_write_checker(*, user):
    """unit_year_check_writable for a whole file at once (imports): the locks are
    read in one query and each (unit, year) is answered from memory by the same
    rules; returns check(unit_id, year) -> the refusal message or None."""
    unit_ids = access.visible_unit_ids(user)
    sees_all = access.user_is_board(user)
    locks = {} if sees_all else access.year_locks_by_unit_and_year()
    answers = {}

    def check(unit_id, year):
        if (unit_id, year) not in answers:
            answer = None
            if unit_ids is not None and unit_id not in unit_ids:
                answer = _("Bạn chỉ được nhập số liệu của đơn vị mình.")
            elif year is not None and not sees_all:
                # As year_lock_for: the earliest of the province-wide lock and the unit's own.
                covering = [lock for lock in (locks.get((None, year)), locks.get((unit_id, year))) if lock]
                if covering:
                    answer = year_lock_message(min(covering, key=lambda lock: lock.locked_at))
            answers[(unit_id, year)] = answer
        return answers[(unit_id, year)]

    return check


def class_check_writable(*, user, training_class: TrainingClass, original: TrainingClass | None = None) -> None:
    """Checks both where the class was (when changing it) and where it goes."""
    if original is not None:
        unit_year_check_writable(user=user, unit_id=original.unit_id, year=original.year)
    year = training_class.start_date.year if training_class.start_date else None
    unit_year_check_writable(user=user, unit_id=training_class.unit_id, year=year)


def commendation_check_writable(*, user) -> None:
    if not access.user_is_board(user):
        raise PermissionDenied(_("Chỉ Ban Tuyên giáo Tỉnh ủy được nhập khen thưởng."))


def _require_board(user, message: str) -> None:
    if not access.user_is_board(user):
        raise PermissionDenied(message)


def _scoped_original(queryset, instance, message: str):
    """The stored row being changed, if it is in the user's scope; refuses otherwise."""
    if not instance.pk:
        return None
    original = queryset.model.objects.select_for_update().filter(pk=instance.pk).first()
    if original is None or not queryset.filter(pk=instance.pk).exists():
        raise PermissionDenied(message)
    return original
