"""Reads. The one place that decides who may see which rows.

Every admin screen, import, export, report and JSON path asks these functions;
nothing else filters by unit.
"""

import datetime

from django.db.models import Case, Count, DecimalField, F, IntegerField, Max, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from .models import (
    AdministrativeUnit, AnnualPlan, CentreAssessment, CentreAssessmentScore, Commendation, LearningNeedsSurvey, ReportingPeriod,
    TrainingCentre, TrainingClass, UnitReport, User, YearLock,
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
            TrainingClass.objects.filter(code__in=codes[start:start + 1000])
            .exclude(unit_id__in=unit_ids).values_list("code", flat=True)
        )
    return taken


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


# --- Planning: plans, surveys, centre standards, the reporting cycle ---

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


def reporting_period_for(year: int) -> ReportingPeriod | None:
    return ReportingPeriod.objects.filter(year=year).first()


def units_in_effect(user, year: int):
    """The units a year's figures are expected from: those valid at some point in the year."""
    return units_visible_to(user).exclude(kind=AdministrativeUnit.Kind.PROVINCE).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=datetime.date(year, 12, 31)),
        Q(valid_to__isnull=True) | Q(valid_to__gte=datetime.date(year, 1, 1)),
    )


def _sums_by(queryset, key: str, **sums) -> dict:
    """{key value: {name: sum}} from one GROUP BY."""
    rows = queryset.order_by().values(key).annotate(**sums)
    return {row.pop(key): row for row in rows}


def _with_total(by_unit: dict, by_programme: dict, names) -> dict:
    # The total is the sum of the per-unit groups (a handful of rows), not another query.
    total = {name: sum(group[name] for group in by_unit.values()) for name in names}
    return {"total": total, "by_unit": by_unit, "by_programme": by_programme}


def plan_figures(*, user, year: int) -> dict:
    """Planned classes and learners for the user's scope: total, by unit code, by programme code."""
    plans = plans_visible_to(user).filter(year=year)
    sums = {"classes": Sum("planned_classes", default=0), "learners": Sum("planned_learners", default=0)}
    return _with_total(_sums_by(plans, "unit__code", **sums), _sums_by(plans, "programme__code", **sums), sums)


def needs_figures(*, user, year: int) -> dict:
    """Surveyed need (people) for the year: total, by unit code, by programme code."""
    surveys = surveys_visible_to(user).filter(year=year)
    sums = {"people_needing": Sum("people_needing", default=0)}
    return _with_total(_sums_by(surveys, "unit__code", **sums), _sums_by(surveys, "programme__code", **sums), sums)


def assessment_totals(queryset):
    """Each assessment with its total score and its year's pass threshold (a subquery each,
    so the rows are not multiplied by a join)."""
    money = DecimalField(max_digits=8, decimal_places=2)
    total = (
        CentreAssessmentScore.objects.filter(assessment=OuterRef("pk"))
        .order_by().values("assessment").annotate(total=Sum("score")).values("total")
    )
    threshold = ReportingPeriod.objects.filter(year=OuterRef("year")).values("pass_threshold")[:1]
    return queryset.annotate(
        total_score=Coalesce(Subquery(total, output_field=money), Value(0, output_field=money)),
        threshold=Subquery(threshold, output_field=money),
    ).annotate(
        passes=Case(
            When(threshold__isnull=False, total_score__gte=F("threshold"), then=Value(True)),
            default=Value(False),
        ),
    )


def centres_meeting_standard(*, user, years):
    """The passing assessments of those years in the user's scope, by year then centre code."""
    return (
        assessment_totals(assessments_visible_to(user).filter(year__in=years))
        .filter(passes=True)
        .order_by("year", "centre__code")
    )


def plan_draft_figures(*, user, unit_id: int, year: int):
    """Per programme, the unit's latest survey up to `year` and the learners trained since
    its survey date and before `year` begins (one query)."""
    latest = (
        LearningNeedsSurvey.objects.filter(unit=OuterRef("unit"), programme=OuterRef("programme"), year__lte=year)
        .order_by("-year").values("year")[:1]
    )
    trained = (
        opened_classes_visible_to(user)
        .filter(
            unit=OuterRef("unit"), programme=OuterRef("programme"),
            start_date__gte=OuterRef("survey_date"), start_date__lt=datetime.date(year, 1, 1),
        )
        .order_by().values("unit").annotate(total=Sum("learners")).values("total")
    )
    return list(
        surveys_visible_to(user)
        .filter(unit_id=unit_id, year=Subquery(latest))
        .annotate(trained=Coalesce(Subquery(trained, output_field=IntegerField()), Value(0)))
        .order_by("programme__sort_order", "programme__code")
        .values("programme_id", "programme__code", "people_needing", "survey_date", "trained")
    )


PUBLISHED_FIGURES = ("classes", "learners", "completed")


def published_figures_compute(*, user, year: int) -> dict:
    """The year's figures in the user's scope, in the shape frozen at publication."""
    classes = opened_classes_visible_to(user).filter(year=year)
    sums = {"classes": Count("*"), "learners": Sum("learners", default=0), "completed": Sum("completed", default=0)}
    return _with_total(_sums_by(classes, "unit__code", **sums), _sums_by(classes, "programme__code", **sums), sums)


def published_comparison(*, user, year: int, period: ReportingPeriod | None = None, current: dict | None = None) -> dict | None:
    """For a published year: the frozen figures beside today's, for the user's scope only.

    None when the year is not published. District staff get their own unit's line of
    the frozen figures, never the province's. `period` and `current` (today's figures,
    as published_figures_compute gives them) may be passed by a caller that has them.
    """
    period = period if period is not None else reporting_period_for(year)
    if period is None or period.published_at is None:
        return None
    frozen = period.published_figures
    current = current if current is not None else published_figures_compute(user=user, year=year)
    empty = dict.fromkeys(PUBLISHED_FIGURES, 0)
    if user_sees_all_units(user):
        published = frozen["total"]
        codes = sorted(set(frozen["by_unit"]) | set(current["by_unit"]))
    else:
        codes = list(current["by_unit"]) or list(units_visible_to(user).values_list("code", flat=True))
        published = {name: sum(frozen["by_unit"].get(code, empty)[name] for code in codes) for name in PUBLISHED_FIGURES}

    def line(figures, code):
        return {name: figures["by_unit"].get(code, empty)[name] for name in PUBLISHED_FIGURES}

    changed_units = [
        {"code": code, "published": line(frozen, code), "current": line(current, code)}
        for code in codes
        if line(frozen, code) != line(current, code)
    ]
    current_total = {name: current["total"][name] for name in PUBLISHED_FIGURES}
    return {
        "published_at": period.published_at,
        "published": {name: published[name] for name in PUBLISHED_FIGURES},
        "current": current_total,
        "differs": published != current_total,
        "changed_units": changed_units,
    }


def unit_report_for(*, unit_id: int, year: int) -> UnitReport | None:
    return UnitReport.objects.filter(unit_id=unit_id, year=year).select_related("submitted_by", "reviewed_by").first()


def cycle_status_counts(*, user, year: int) -> dict:
    """How many of the units in scope are in each step of the cycle ("chua_gui" for no report)."""
    status = Subquery(UnitReport.objects.filter(unit=OuterRef("pk"), year=year).values("status")[:1])
    rows = (
        units_in_effect(user, year).annotate(step=Coalesce(status, Value("chua_gui"))).order_by()
        .values("step").annotate(units=Count("*"))
    )
    return {row["step"]: row["units"] for row in rows}


# Completeness board: not reported first (none or returned), then sent, then accepted.
NOT_REPORTED, AWAITING, ACCEPTED = 0, 1, 2


def completeness_board(*, user, year: int, today: datetime.date):
    """One row per unit in effect: classes entered for the year, last change, cycle step,
    lateness against the board's deadline. One query, ordered with the units that have
    not reported at the top."""
    deadline = getattr(reporting_period_for(year), "deadline", None)
    report = UnitReport.objects.filter(unit=OuterRef("pk"), year=year)
    year_classes = Q(classes__year=year)
    units = units_in_effect(user, year).annotate(
        classes_entered=Count("classes", filter=year_classes),
        learners_entered=Sum("classes__learners", filter=year_classes, default=0),
        last_change=Max("classes__updated_at", filter=year_classes),
        cycle_status=Subquery(report.values("status")[:1]),
        submitted_at=Subquery(report.values("submitted_at")[:1]),
        reviewed_at=Subquery(report.values("reviewed_at")[:1]),
        return_reason=Subquery(report.values("return_reason")[:1]),
    ).annotate(
        step=Case(
            When(cycle_status=UnitReport.Status.ACCEPTED, then=Value(ACCEPTED)),
            When(cycle_status=UnitReport.Status.SUBMITTED, then=Value(AWAITING)),
            default=Value(NOT_REPORTED),
            output_field=IntegerField(),
        ),
    )
    if deadline is None:
        late = Value(False)
    else:
        # Late: nothing sent (or sent back) after the deadline passed, or sent after it.
        late = Case(
            When(step=NOT_REPORTED, then=Value(today > deadline)),
            When(submitted_at__date__gt=deadline, then=Value(True)),
            default=Value(False),
        )
    return units.annotate(is_late=late).order_by("step", "-is_late", "classes_entered", "code")
