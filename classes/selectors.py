"""Reads. The one place that decides who may see which rows.

Every admin screen, import, export, report and JSON path asks these functions;
nothing else filters by unit.
"""

from django.db.models import Q

from .models import AdministrativeUnit, Commendation, TrainingCentre, TrainingClass, User, YearLock


def user_sees_all_units(user) -> bool:
    """The provincial board and administrators see every unit; nobody else does."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.role in (User.Role.PROVINCE, User.Role.ADMIN)


def user_is_district(user) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active and not user.is_superuser
        and user.role == User.Role.DISTRICT and user.unit_id
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


def year_locks_visible_to(user):
    unit_ids = visible_unit_ids(user)
    queryset = YearLock.objects.select_related("unit", "locked_by")
    if unit_ids is None:
        return queryset
    return queryset.filter(Q(unit__in=unit_ids) | Q(unit__isnull=True))


def year_lock_for(*, unit_id: int | None, year: int) -> YearLock | None:
    """The lock covering this unit's year: a province-wide lock or the unit's own."""
    condition = Q(unit__isnull=True)
    if unit_id:
        condition |= Q(unit_id=unit_id)
    return (
        YearLock.objects.filter(condition, year=year)
        .select_related("unit", "locked_by")
        .order_by("locked_at")
        .first()
    )


def district_centre_for(unit_id: int) -> TrainingCentre | None:
    return (
        TrainingCentre.objects.filter(unit_id=unit_id, kind=TrainingCentre.Kind.DISTRICT_CENTRE)
        .order_by("code")
        .first()
    )
