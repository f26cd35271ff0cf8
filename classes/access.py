"""Who may see and who may write what: the one place that compares a user's unit or reads a lock."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

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
    """Unit staff: bound to one unit (a district before 1/7/2025, a commune or ward after)."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and not user.is_superuser
        and user.role == User.Role.DISTRICT
        and user.unit_id
    )


def user_is_centre(user) -> bool:
    """Centre staff: the classes their centre runs, for any unit, and nothing else."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and not user.is_superuser
        and user.role == User.Role.CENTRE
        and user.centre_id
    )


def visible_unit_ids(user) -> list[int] | None:
    """None means every unit; a list, possibly empty, means only those (centre staff see no
    unit's own rows: their classes are chosen by centre)."""
    if user_sees_all_units(user):
        return None
    if user_is_district(user):
        return [user.unit_id]
    return []


def _unit_end(user):
    """The last day of a former unit's staff's unit (their scope ends there), else None."""
    return user.unit.valid_to if user_is_district(user) else None


def _scoped(queryset, user, unit_lookup: str, *, year_lookup: str | None = None, day_lookup: str | None = None):
    unit_ids = visible_unit_ids(user)
    if unit_ids is None:
        return queryset
    queryset = queryset.filter(**{f"{unit_lookup}__in": unit_ids})
    end = _unit_end(user) if unit_ids else None
    if end is not None and day_lookup:
        queryset = queryset.filter(**{f"{day_lookup}__lte": end})
    elif end is not None and year_lookup:
        queryset = queryset.filter(**{f"{year_lookup}__lte": end.year})
    return queryset


# Bodies above the communes (the provincial school, others) that commune and ward staff may
# name as who ran a class; before the reform a district's own centre ran them.
SHARED_CENTRE_UNIT_KINDS = (AdministrativeUnit.Kind.COMMUNE, AdministrativeUnit.Kind.WARD)


def units_visible_to(user):
    if user_is_centre(user):
        return AdministrativeUnit.objects.all()  # a centre's classes may be of any unit
    return _scoped(AdministrativeUnit.objects.all(), user, "id")


def centres_visible_to(user):
    """The centres a user may see and name as who ran a class."""
    centres = TrainingCentre.objects.select_related("unit")
    if user_sees_all_units(user):
        return centres
    if user_is_centre(user):
        return centres.filter(pk=user.centre_id)
    if user_is_district(user):
        own = Q(unit_id=user.unit_id)
        if user.unit.kind in SHARED_CENTRE_UNIT_KINDS:
            own |= Q(unit__isnull=True)
        return centres.filter(own)
    return centres.none()


def centre_written_by(user) -> TrainingCentre | None:
    """The centre a centre-staff user enters classes for (their classes' default centre)."""
    return user.centre if user_is_centre(user) else None


def classes_visible_to(user):
    if user_is_centre(user):
        return TrainingClass.objects.filter(centre_id=user.centre_id)
    return _scoped(TrainingClass.objects.all(), user, "unit", day_lookup="start_date")


def commendations_visible_to(user):
    return _scoped(Commendation.objects.all(), user, "unit", year_lookup="year")


def history_visible_to(user, model):
    """Past versions of a class or commendation: unit staff see only the versions that
    belonged to their unit (a row the board moved stays hidden), centre staff those of
    their centre's classes."""
    if user_is_centre(user):
        if model is TrainingClass:
            return model.history.filter(centre_id=user.centre_id)
        return model.history.none()
    if model is TrainingClass:
        return _scoped(model.history.all(), user, "unit", day_lookup="start_date")
    return _scoped(model.history.all(), user, "unit", year_lookup="year")


def year_locks_visible_to(user):
    unit_ids = visible_unit_ids(user)
    queryset = YearLock.objects.select_related("unit", "locked_by")
    if unit_ids is None:
        return queryset
    return queryset.filter(Q(unit__in=unit_ids) | Q(unit__isnull=True))


def _lock_table() -> dict:
    """Every lock keyed by (unit id or None for the province, year); the table is small."""
    return {(lock.unit_id, lock.year): lock for lock in YearLock.objects.select_related("unit", "locked_by")}


def class_codes_outside_scope(user, codes) -> set[str]:
    """Which of these class codes already belong to classes the user may not see
    (an import must not overwrite them); one query per 1,000 codes."""
    codes = list(codes)
    if user_sees_all_units(user) or not codes:
        return set()
    visible = classes_visible_to(user).values("pk")
    taken = set()
    for start in range(0, len(codes), 1000):
        taken.update(
            TrainingClass.objects.filter(code__in=codes[start : start + 1000])
            .exclude(pk__in=visible)
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


def year_locks_of(*, unit_id: int, year: int):
    """The unit's own locks of the year (not the province-wide one): what returning its report lifts."""
    return YearLock.objects.filter(year=year, unit_id=unit_id)


# A class counts in the year it opens; cancelled and planned classes were not opened.
NOT_OPENED = (TrainingClass.Status.CANCELLED, TrainingClass.Status.PLANNED)


def opened_classes_visible_to(user):
    return classes_visible_to(user).exclude(status__in=NOT_OPENED)


def plans_visible_to(user):
    return _scoped(AnnualPlan.objects.select_related("unit", "programme"), user, "unit", year_lookup="year")


def surveys_visible_to(user):
    return _scoped(LearningNeedsSurvey.objects.select_related("unit", "programme"), user, "unit", year_lookup="year")


def assessments_visible_to(user):
    return _scoped(CentreAssessment.objects.select_related("centre", "centre__unit"), user, "centre__unit")


def unit_reports_visible_to(user):
    return _scoped(
        UnitReport.objects.select_related("unit", "submitted_by", "reviewed_by"), user, "unit", year_lookup="year"
    )


def year_lock_message(lock: YearLock) -> str:
    scope = lock.unit.name if lock.unit_id else _("toàn tỉnh")
    who = (lock.locked_by.get_full_name() or lock.locked_by.get_username()) if lock.locked_by_id else _("không rõ")
    return _("Số liệu năm %(year)s của %(scope)s đã khóa bởi %(who)s từ %(when)s.") % {
        "year": lock.year,
        "scope": scope,
        "who": who,
        "when": date_format(timezone.localtime(lock.locked_at), "SHORT_DATETIME_FORMAT"),
    }


# --- the write rule -------------------------------------------------------------------------


class Refusal(str):
    """Why a write is refused. `denied`: the row is outside the user's scope (answered as a
    permission refusal), rather than closed for now (a locked year)."""

    denied = False


def _denied(message) -> Refusal:
    refusal = Refusal(message)
    refusal.denied = True
    return refusal


def write_refusal(user, unit, year, *, centre=None, was=None, locks=None) -> str | None:
    """Why `user` may not write a row of `unit` (id or unit) and `year` run by `centre`, or None.

    The one rule every write path asks. `was`: the stored row being changed (its old place must
    be writable too). A unit or centre of None means "not chosen yet" (may the user add at
    all?). `locks`: a lock table read once for a whole file (see write_refusals).

    The board and administrators see every unit; unit staff write their unit only, and a former
    unit's staff only up to the year it ended; centre staff write the classes their centre runs,
    of any unit. Everyone but the board is refused a locked year (the board's corrections are
    kept in history).
    """
    if was is not None:
        refusal = write_refusal(user, was.unit_id, was.year, centre=getattr(was, "centre_id", None), locks=locks)
        if refusal:
            return refusal
    unit_id = getattr(unit, "pk", unit)
    centre_id = getattr(centre, "pk", centre)
    if user_sees_all_units(user):
        pass
    elif user_is_centre(user):
        if centre_id is not None and centre_id != user.centre_id:
            return _denied(_("Bạn chỉ được nhập số liệu các lớp do %(centre)s tổ chức.") % {"centre": user.centre.name})
    elif user_is_district(user):
        if unit_id is not None and unit_id != user.unit_id:
            return _denied(_("Bạn chỉ được nhập số liệu của đơn vị mình."))
        end = user.unit.valid_to
        if year is not None and end is not None and year > end.year:
            # A closed unit, not a foreign one: refused as its validity, naming who took over.
            return Refusal(user.unit.validity_error_in(year))
    elif unit_id is None:
        return _denied(_("Tài khoản của bạn chưa được gắn đơn vị hay vai trò nên không nhập được số liệu."))
    else:
        return _denied(_("Bạn chỉ được nhập số liệu của đơn vị mình."))
    if year is None or unit_id is None or user_is_board(user):
        return None
    if locks is None:
        lock = year_lock_for(unit_id=unit_id, year=year)
    else:
        # As year_lock_for: the earliest of the province-wide lock and the unit's own.
        covering = [lock for lock in (locks.get((None, year)), locks.get((unit_id, year))) if lock]
        lock = min(covering, key=lambda lock: lock.locked_at) if covering else None
    return Refusal(year_lock_message(lock)) if lock is not None else None


class Refusals(dict):
    """{(unit id, year) or (unit id, year, centre id): refusal or None}, answered from one read
    of the locks; a place not asked before is answered on first use."""

    def __init__(self, user, locks):
        super().__init__()
        self.user, self.locks = user, locks

    def __missing__(self, place):
        unit_id, year, centre_id = (*place, None)[:3]
        refusal = self[place] = write_refusal(self.user, unit_id, year, centre=centre_id, locks=self.locks)
        return refusal


def write_refusals(user, places=()) -> Refusals:
    """write_refusal for a whole file at once (imports, bulk deletes): the locks are read in
    one query and each place answered from memory by the same rule."""
    refusals = Refusals(user, {} if user_is_board(user) else _lock_table())
    for place in places:
        refusals[place]  # noqa: B018 (fills the answer)
    return refusals


def write_check(user, unit, year, *, centre=None, was=None) -> None:
    """write_refusal for the services: raise PermissionDenied outside the scope, ValidationError
    for a closed year."""
    refusal = write_refusal(user, unit, year, centre=centre, was=was)
    if refusal:
        raise (PermissionDenied if getattr(refusal, "denied", False) else ValidationError)(str(refusal))


def unit_year_check_writable(*, user, unit_id: int | None, year: int | None) -> None:
    write_check(user, unit_id, year)


def class_check_writable(*, user, training_class: TrainingClass, original: TrainingClass | None = None) -> None:
    """Checks both where the class was (when changing it) and where it goes."""
    year = training_class.start_date.year if training_class.start_date else None
    write_check(user, training_class.unit_id, year, centre=training_class.centre_id, was=original)


def report_scope(user) -> dict | None:
    """Whose figures a user's report shows: the province for the board and administrators,
    the unit for its staff, the centre for centre staff, None for no one."""
    if user_sees_all_units(user):
        return {"level": "province", "code": settings.PROVINCE_CODE, "name": settings.PROVINCE_NAME}
    if user_is_district(user):
        return {"level": "unit", "code": user.unit.code, "name": user.unit.name}
    if user_is_centre(user):
        return {"level": "centre", "code": user.centre.code, "name": user.centre.name}
    return None


def report_scope_key(user) -> str | None:
    """The report scope as a cache key part: users with the same scope share cached reports."""
    if user_sees_all_units(user):
        return "province"
    if user_is_district(user):
        return f"unit-{user.unit_id}"
    if user_is_centre(user):
        return f"centre-{user.centre_id}"
    return None


def commendation_check_writable(*, user, commendation=None) -> None:
    """The board alone enters commendations; then the write rule of the commendation's unit and year."""
    if not user_is_board(user):
        raise PermissionDenied(_("Chỉ Ban Tuyên giáo Tỉnh ủy được nhập khen thưởng."))
    if commendation is None:
        write_check(user, None, None)
    else:
        write_check(user, commendation.unit_id, commendation.year, centre=commendation.centre_id)


def _require_board(user, message: str) -> None:
    if not user_is_board(user):
        raise PermissionDenied(message)


def _scoped_original(queryset, instance, message: str):
    """The stored row being changed, if it is in the user's scope; refuses otherwise."""
    if not instance.pk:
        return None
    original = queryset.model.objects.select_for_update().filter(pk=instance.pk).first()
    if original is None or not queryset.filter(pk=instance.pk).exists():
        raise PermissionDenied(message)
    return original


def report_viewer(user, unit_code: str | None):
    """Whom a report is read as when `?unit=CODE` narrows it to one unit: the user themself
    without a code; for a code of a unit the user sees, that unit's staff as the report sees
    them (never saved, never written with); None for an unknown or out-of-scope code (the
    view answers 404, never another unit's figures)."""
    if not unit_code:
        return user
    unit = (
        units_visible_to(user).exclude(kind=AdministrativeUnit.Kind.PROVINCE).filter(code=unit_code).first()
        if not user_is_centre(user)
        else None
    )
    if unit is None:
        return None
    if user_is_district(user):
        return user  # their own unit: the scope they have already
    if not user_sees_all_units(user):
        return None
    return User(username=user.get_username(), role=User.Role.DISTRICT, unit=unit, is_active=True)


def report_units_to_pick(user):
    """The units a user may narrow the report to (the board's picker); none for unit or centre staff."""
    if not user_sees_all_units(user):
        return AdministrativeUnit.objects.none()
    return AdministrativeUnit.objects.exclude(kind=AdministrativeUnit.Kind.PROVINCE).order_by("code")
