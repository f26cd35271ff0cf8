"""Reads about classes that are not a question of scope."""

import datetime

from django.db.models import (
    Q,
)

from classes.access import units_visible_to
from classes.models import (
    AdministrativeUnit,
    TrainingCentre,
)


def district_centre_for(unit_id: int) -> TrainingCentre | None:
    return (
        TrainingCentre.objects.filter(unit_id=unit_id, kind=TrainingCentre.Kind.DISTRICT_CENTRE)
        .order_by("code")
        .first()
    )


def in_force_on(queryset, day: datetime.date):
    """Units or centres in force on that day."""
    return queryset.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


# The centres that run a unit's classes when nobody names one: its district centre until
# 30/06/2025, its commune or ward party committee after.
OWN_CENTRE_KINDS = (TrainingCentre.Kind.DISTRICT_CENTRE, TrainingCentre.Kind.PARTY_COMMITTEE)


def default_centre_for(unit_id: int, day: datetime.date | None) -> TrainingCentre | None:
    """A class's centre when left blank: the unit's own centre in force on its start date."""
    if day is None:
        return district_centre_for(unit_id)
    own = TrainingCentre.objects.filter(unit_id=unit_id, kind__in=OWN_CENTRE_KINDS)
    return in_force_on(own, day).order_by("code").first()


def units_in_effect(user, year: int):
    """The units a year's figures are expected from: those valid at some point in the year."""
    return (
        units_visible_to(user)
        .exclude(kind=AdministrativeUnit.Kind.PROVINCE)
        .filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=datetime.date(year, 12, 31)),
            Q(valid_to__isnull=True) | Q(valid_to__gte=datetime.date(year, 1, 1)),
        )
    )


def _sums_by(queryset, key: str, **sums) -> dict:
    """{key value: {name: sum}} from one GROUP BY."""
    rows = queryset.order_by().values(key).annotate(**sums)
    return {row.pop(key): row for row in rows}


def _with_total(by_unit: dict, by_programme: dict, names) -> dict:
    # The total is the sum of the per-unit groups (a handful of rows), not another query.
    total = {name: sum(group[name] for group in by_unit.values()) for name in names}
    return {"total": total, "by_unit": by_unit, "by_programme": by_programme}
