"""Reads about classes that are not a question of scope."""

import datetime

from django.db.models import (
    Count,
    Max,
    Min,
    Q,
    Sum,
)
from django.utils import timezone

from classes.access import NOT_OPENED, units_visible_to
from classes.models import (
    AdministrativeUnit,
    TrainingCentre,
    TrainingClass,
)


def class_list_totals(queryset) -> dict:
    """The class list's foot row in one aggregate: opened classes counted as the report
    counts them (not planned, not cancelled), planned and cancelled classes apart."""
    opened = ~Q(status__in=NOT_OPENED)
    planned = Q(status=TrainingClass.Status.PLANNED)
    cancelled = Q(status=TrainingClass.Status.CANCELLED)
    row = queryset.order_by().aggregate(
        opened_classes=Count("pk", filter=opened),
        opened_learners=Sum("learners", filter=opened, default=0),
        opened_completed=Sum("completed", filter=opened, default=0),
        planned_classes=Count("pk", filter=planned),
        planned_learners=Sum("learners", filter=planned, default=0),
        cancelled_classes=Count("pk", filter=cancelled),
        cancelled_learners=Sum("learners", filter=cancelled, default=0),
    )
    return {
        "classes": row["opened_classes"],
        "learners": row["opened_learners"],
        "completed": row["opened_completed"],
        "planned": row["planned_classes"],
        "planned_learners": row["planned_learners"],
        "cancelled": row["cancelled_classes"],
        "cancelled_learners": row["cancelled_learners"],
    }


def years_with_data(queryset) -> list[int]:
    """The years a filter offers, newest first: those from the first to the last year with
    rows, and the current one. One MIN/MAX query the year index answers without a scan
    (a DISTINCT would read every row: docs/findings.md)."""
    bounds = queryset.order_by().aggregate(first=Min("year"), last=Max("year"))
    this_year = timezone.localdate().year
    first, last = bounds["first"] or this_year, bounds["last"] or this_year
    return list(range(max(last, this_year), min(first, this_year) - 1, -1))


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
