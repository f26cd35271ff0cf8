"""Plan, needs and standard figures for a scope and year."""

import datetime

from django.db.models import (
    Case,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from classes.access import (
    assessments_visible_to,
    opened_classes_visible_to,
    plans_visible_to,
    surveys_visible_to,
)
from classes.models import (
    CentreAssessmentScore,
    LearningNeedsSurvey,
    ReportingPeriod,
)
from classes.selectors.training import _sums_by, _with_total


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
        .order_by()
        .values("assessment")
        .annotate(total=Sum("score"))
        .values("total")
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
        .order_by("-year")
        .values("year")[:1]
    )
    trained = (
        opened_classes_visible_to(user)
        .filter(
            unit=OuterRef("unit"),
            programme=OuterRef("programme"),
            start_date__gte=OuterRef("survey_date"),
            start_date__lt=datetime.date(year, 1, 1),
        )
        .order_by()
        .values("unit")
        .annotate(total=Sum("learners"))
        .values("total")
    )
    return list(
        surveys_visible_to(user)
        .filter(unit_id=unit_id, year=Subquery(latest))
        .annotate(trained=Coalesce(Subquery(trained, output_field=IntegerField()), Value(0)))
        .order_by("programme__sort_order", "programme__code")
        .values("programme_id", "programme__code", "people_needing", "survey_date", "trained")
    )
